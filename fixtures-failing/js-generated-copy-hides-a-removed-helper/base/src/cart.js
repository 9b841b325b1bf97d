import { formatPrice, helper } from "./utils.js";

export function total(items) {
  return formatPrice(helper(items).reduce((sum, item) => sum + item.cents, 0));
}
