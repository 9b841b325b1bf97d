import * as utils from './utils';

export function reportLine(customer, cents) {
  return `${customer.name}: ${utils.formatLegacy(cents, customer.currency)}`;
}

export function reportLines(customers) {
  return customers.map((customer) => reportLine(customer, customer.balance));
}
