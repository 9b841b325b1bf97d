export function formatAmount(cents) {
  return (cents / 100).toFixed(2);
}

export function sumCents(items) {
  return items.reduce((total, item) => total + item.cents, 0);
}
