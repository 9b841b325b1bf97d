import { formatLegacy, sumCents } from './utils';

export function invoiceTotal(invoice) {
  return formatLegacy(sumCents(invoice.items), invoice.currency);
}
