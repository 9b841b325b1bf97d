import { formatPrice, helper } from "./utils.js";

export function receiptLines(items) {
  return helper(items).map((item) => `${item.name} ${formatPrice(item.cents)}`);
}
