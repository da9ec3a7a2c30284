/**
 * Removes one metric family from a text-format (0.0.4) exposition: its `# HELP` and `# TYPE`
 * lines and every sample of it, including a histogram's or summary's `_bucket`, `_sum` and
 * `_count` series. The format groups a family's lines under its TYPE line, so a filter on sample
 * names is all it takes; nothing else in the exposition is touched.
 */
export function dropFamily(exposition: string, family: string): string {
  const types = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1]!, match[2]!);
  const type = types.get(family);
  const names = new Set([family, ...(type === 'histogram' || type === 'summary' ? ['_bucket', '_sum', '_count', '_created'].map((s) => family + s) : [])]);
  return exposition
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#')) {
        const [, keyword, name] = line.split(/\s+/);
        return !((keyword === 'HELP' || keyword === 'TYPE') && name === family);
      }
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
      return name === undefined || !names.has(name);
    })
    .join('\n');
}
