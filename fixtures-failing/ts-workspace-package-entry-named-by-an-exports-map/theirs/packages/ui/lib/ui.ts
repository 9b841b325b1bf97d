export function Button(label: string): string {
  return `<button>${label}</button>`;
}

export function LegacyButton(label: string): string {
  return `<button class="legacy">${label}</button>`;
}
