/** Every label of `subset` has the same value in `full`: an alert selector, or a rule's fixed labels, against a series' labels. */
export function labelsMatch(subset: Readonly<Record<string, string>>, full: Readonly<Record<string, string>>): boolean {
  return Object.entries(subset).every(([k, v]) => full[k] === v);
}

/** No label set in both has two values: a series could carry both (a selector against a rule's fixed labels, two rules' fixed labels). */
export function labelsAgree(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

/** One text per label set, whatever order its labels came in: a series' identity for maps and comparisons. */
export function labelSetKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
