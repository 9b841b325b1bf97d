import { formatPrice } from "./utils.js";

export function total(items) {
  return formatPrice(items.reduce((sum, item) => sum + item.cents, 0));
}
