export function LegacyButton(label: string): string {
  return `<button class="legacy">${label}</button>`;
}
