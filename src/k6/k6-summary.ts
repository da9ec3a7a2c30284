// Runs inside k6 (bundled into the script's handleSummary) and in Node (tests, the k6 engine):
// no imports beyond types, nothing newer than ES2017 after esbuild.
import { okRatioThreshold, type ThresholdResult, type TrafficSummary } from '../engine/traffic.ts';
import type { ScenarioPlan } from '../scenario/plan-types.ts';

/** Status codes counted one by one; anything else is counted as "other". 0 = no response. */
export const COUNTED_STATUSES = [0, 200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504];
export const METRIC = {
  requests: 'firedrill_requests',
  latency: 'firedrill_latency',
  status: (code: number | 'other') => `firedrill_status_${code}`,
} as const;

/** The part of k6's handleSummary data this reads. */
export interface K6SummaryData {
  readonly state?: { readonly testRunDurationMs?: number };
  readonly metrics: Readonly<Record<string, { readonly values: Readonly<Record<string, number>>; readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>> } | undefined>>;
}

/** k6's end-of-test data, reduced to the summary shape the builtin engine reports. */
export function trafficSummaryFromK6(data: K6SummaryData, plan: ScenarioPlan): TrafficSummary {
  const value = (metric: string, stat: string) => data.metrics[metric]?.values[stat] ?? 0;
  const requests = value(METRIC.requests, 'count');
  const statuses: Record<string, number> = {};
  const codes: (number | 'other')[] = [...COUNTED_STATUSES, 'other'];
  for (const code of codes) {
    const count = value(METRIC.status(code), 'count');
    if (count > 0) statuses[String(code)] = count;
  }
  const durationS = (data.state?.testRunDurationMs ?? plan.durationS * 1000) / 1000;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  const thresholds: ThresholdResult[] = [];
  for (const stream of plan.streams) {
    if (stream.minOkRatio === undefined) continue;
    const metric = data.metrics[`checks{scenario:${stream.name}}`];
    const expression = okRatioThreshold(stream.minOkRatio);
    const observed = metric ? metric.values.rate ?? 0 : 0;
    thresholds.push({ stream: stream.name, expression, observed: Math.round(observed * 10_000) / 10_000, ok: metric?.thresholds?.[expression]?.ok ?? false });
  }
  return {
    requests,
    achievedRps: round1(requests / Math.max(durationS, 0.001)),
    statuses,
    dropped: value('dropped_iterations', 'count'),
    checkFailures: value('checks', 'fails'),
    latencyMs: { p50: round1(value(METRIC.latency, 'med')), p95: round1(value(METRIC.latency, 'p(95)')), p99: round1(value(METRIC.latency, 'p(99)')) },
    thresholds,
  };
}
