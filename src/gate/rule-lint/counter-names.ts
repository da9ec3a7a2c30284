import { rawCounterUse } from './raw-counter-use.ts';
import { selectorsIn } from './promql-tree.ts';
import type { RuleEntry } from './rule-entries.ts';

/** Suffixes Prometheus naming conventions reserve for counters and the counters of histograms and summaries. */
const COUNTER_SUFFIXES = ['_total', '_count', '_sum', '_bucket'];

/**
 * Gauges that widely copied exporters name like counters (postgres_exporter's connection and lock
 * counts, kafka_exporter's summed lag); without this, the most copied Postgres and Kafka alerts would be flagged.
 */
const GAUGES_NAMED_LIKE_COUNTERS = new Set(['pg_stat_activity_count', 'pg_locks_count', 'kafka_consumergroup_lag_sum']);

/**
 * The names the lint treats as counters: metric names with a counter suffix, and the names of
 * recording rules that pass such a series through without rate() (`record: job:x_total:sum`,
 * `expr: sum by (job) (x_total)`), followed through chains of such records.
 * A heuristic: rule files carry no metric types, so a gauge named `*_count` counts too, except the
 * well-known ones above; a counter named without a suffix (`pg_stat_database_xact_commit`) does not.
 */
export interface CounterNames {
  has(metric: string | undefined): boolean;
  /** For a recorded copy, the counters it copies (`x_total`); empty for a plain counter name. */
  copiedFrom(metric: string): readonly string[];
}

export function counterNames(rules: readonly RuleEntry[]): CounterNames {
  const recorded = new Map<string, string[]>();
  // A record is a counter only when it copies one, whatever its name: `job:x_total:rate5m` is a rate.
  const recordNames = new Set(rules.filter((entry) => entry.kind === 'record').map((entry) => entry.name));
  const isCounter = (metric: string | undefined): metric is string =>
    metric !== undefined && (recorded.has(metric) || (!recordNames.has(metric) && COUNTER_SUFFIXES.some((suffix) => metric.endsWith(suffix)) && !GAUGES_NAMED_LIKE_COUNTERS.has(metric)));
  // Records may be defined in any order and from each other: repeat until no new copy appears.
  for (let changed = true; changed; ) {
    changed = false;
    for (const entry of rules) {
      if (entry.kind !== 'record' || recorded.has(entry.name)) continue;
      const copied = selectorsIn(entry.promql, entry.promql.root)
        .filter((selector) => isCounter(selector.metric) && rawCounterUse(entry.promql, selector.node).kind === 'copied')
        .map((selector) => selector.metric!);
      if (copied.length === 0) continue;
      recorded.set(entry.name, [...new Set(copied)]);
      changed = true;
    }
  }
  return { has: isCounter, copiedFrom: (metric) => recorded.get(metric) ?? [] };
}
