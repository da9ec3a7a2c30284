/** One matcher of Alertmanager's `matchers:` syntax: `name op "value"` (op: = != =~ !~). */
export interface Matcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export function parseMatcher(text: string): Matcher | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(text);
  return m ? { name: m[1]!, op: m[2] as Matcher['op'], value: m[3]! } : undefined;
}

export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[matcher.name] ?? '';
  if (matcher.op === '=') return value === matcher.value;
  if (matcher.op === '!=') return value !== matcher.value;
  const re = new RegExp(`^(?:${matcher.value})$`);
  return matcher.op === '=~' ? re.test(value) : !re.test(value);
}

/** One side of an inhibit rule as matchers, from the three syntaxes Alertmanager reads (`*_match`, `*_match_re`, `*_matchers`). */
export function inhibitSideMatchers(doc: Readonly<Record<string, unknown>>, side: 'source' | 'target'): Matcher[] {
  return [
    ...Object.entries((doc[`${side}_match`] as Record<string, string> | undefined) ?? {}).map(([name, value]): Matcher => ({ name, op: '=', value })),
    ...Object.entries((doc[`${side}_match_re`] as Record<string, string> | undefined) ?? {}).map(([name, value]): Matcher => ({ name, op: '=~', value })),
    ...((doc[`${side}_matchers`] as string[] | undefined) ?? []).flatMap((text) => parseMatcher(text) ?? []),
  ];
}
