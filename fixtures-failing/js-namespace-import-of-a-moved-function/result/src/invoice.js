import { sumCents } from './utils';
import { formatLegacy } from './format';

export function invoiceTotal(invoice) {
  return formatLegacy(sumCents(invoice.items), invoice.currency);
}
