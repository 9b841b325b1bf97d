import formatLegacy from './utils';

export function reportLine(customer, cents) {
  return `${customer.name}: ${formatLegacy(cents, customer.currency)}`;
}

export function reportLines(customers) {
  return customers.map((customer) => reportLine(customer, customer.balance));
}
