/** Every label of `subset` has the same value in `full`: an alert selector, or a rule's fixed labels, against a series' labels. */
export function labelsMatch(subset: Readonly<Record<string, string>>, full: Readonly<Record<string, string>>): boolean {
  return Object.entries(subset).every(([k, v]) => full[k] === v);
}
