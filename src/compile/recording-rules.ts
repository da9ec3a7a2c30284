import { metricNamesIn } from './promql-metrics.ts';
import { asList, asMap, type YamlMap } from './yaml-file.ts';

/**
 * Recording rule name -> its expression, across rule file documents. A name recorded by several
 * rules (one per job, say) is all of them, `(a) or (b)`: a walk through recorded series must see
 * every expression a series of that name can come from, not only the last.
 */
export function recordingRules(docs: readonly YamlMap[]): Map<string, string> {
  const records = new Map<string, string>();
  for (const doc of docs) {
    for (const group of asList(doc.groups, 'groups')) {
      for (const rule of asList(asMap(group, 'group').rules, 'rules')) {
        const r = asMap(rule, 'rule');
        if (typeof r.record !== 'string') continue;
        const before = records.get(r.record);
        records.set(r.record, before === undefined ? String(r.expr) : `(${before}) or (${String(r.expr)})`);
      }
    }
  }
  return records;
}

/**
 * The metric names an expression reads, seen through recording rules: a recorded series is
 * replaced by the names it is recorded from, through chains of them.
 */
export function metricsReadThrough(expr: string, records: ReadonlyMap<string, string>, seen = new Set<string>()): string[] {
  return metricNamesIn(expr).flatMap((name) => {
    const recorded = records.get(name);
    if (recorded === undefined) return [name];
    if (seen.has(name)) return [];
    seen.add(name);
    return metricsReadThrough(recorded, records, seen);
  });
}
