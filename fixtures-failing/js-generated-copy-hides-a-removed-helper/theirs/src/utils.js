export function formatPrice(cents) {
  return `$${(cents / 100).toFixed(2)}`;
}

export function helper(items) {
  return items.filter(Boolean);
}
