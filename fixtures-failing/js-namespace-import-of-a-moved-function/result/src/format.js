import { formatAmount } from './utils';

// The v1 invoice format: an upper-case currency code before the amount.
export function formatLegacy(cents, currency) {
  return `${currency.toUpperCase()} ${formatAmount(cents)}`;
}
