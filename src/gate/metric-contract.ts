import { z } from 'zod';
import { describeZodIssues } from '../config/describe-issues.ts';
import { readYamlMap, relativeName } from '../compile/yaml-file.ts';
import { badInput } from '../errors.ts';

export const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary', 'info', 'stateset', 'gaugehistogram', 'unknown'] as const;

/** The metric families a system promises to expose: `fixtures/<system>/contract.yml`. */
export interface MetricContract {
  readonly file: string;
  readonly families: ReadonlyMap<string, { readonly type: (typeof METRIC_TYPES)[number]; readonly labels: readonly string[] }>;
}

const schema = z.strictObject({
  families: z.record(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'metric names are [a-zA-Z_:][a-zA-Z0-9_:]*'), z.strictObject({ type: z.enum(METRIC_TYPES), labels: z.array(z.string()) })),
});

export function loadMetricContract(file: string): MetricContract {
  const doc = readYamlMap(file);
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw badInput(`${relativeName(file)}: ${describeZodIssues(parsed.error, schema, doc)}`);
  return { file, families: new Map(Object.entries(parsed.data.families)) };
}

/** Series Prometheus makes up itself: never in a service's contract. */
export const SYNTHETIC_METRICS = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);

/** The contract family a series name belongs to (histogram/summary series carry a suffix), if any. */
export function contractFamilyOf(contract: MetricContract, metric: string): string | undefined {
  if (contract.families.has(metric)) return metric;
  const base = metric.replace(/_(bucket|sum|count)$/, '');
  const family = contract.families.get(base);
  return family && (family.type === 'histogram' || family.type === 'summary') ? base : undefined;
}
