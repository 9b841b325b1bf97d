function formatPrice(cents) {
  return `$${(cents / 100).toFixed(2)}`;
}
function helper(items) {
  return items.filter(Boolean);
}
function total(items) {
  return formatPrice(helper(items).reduce((sum, item) => sum + item.cents, 0));
}
