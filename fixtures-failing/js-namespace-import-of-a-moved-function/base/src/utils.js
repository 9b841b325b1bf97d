export function formatAmount(cents) {
  return (cents / 100).toFixed(2);
}

export function formatLegacy(cents, currency) {
  return `${currency.toUpperCase()} ${formatAmount(cents)}`;
}

export function sumCents(items) {
  return items.reduce((total, item) => total + item.cents, 0);
}
