export function Button(label: string): string {
  return `<button>${label}</button>`;
}
