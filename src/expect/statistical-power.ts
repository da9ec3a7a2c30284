import type { CompiledRule } from '../compile/rule-files.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { counterWindows, type CounterWindow } from '../observe/promql-parts.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';
import type { PowerCheck } from '../report/run-result.ts';

export type { PowerCheck } from '../report/run-result.ts';

/** A rate or ratio judged on fewer events than this per window says little: one event moves it a lot. */
export const MIN_EVENTS_PER_WINDOW = 20;

/**
 * Whether a counter counts discrete events (requests, errors, disk operations). A counter of
 * seconds or bytes (node_cpu_seconds_total, a histogram's _sum) accumulates a continuous amount:
 * a short window of it is exact, not a small sample, so statistical power does not apply.
 */
export function countsEvents(selector: string): boolean {
  const name = selector.split('{')[0]!.trim();
  return !/_sum$|_(seconds|bytes)(_total)?$/.test(name);
}

/** A rule counts events when it takes rate() or increase() of counters; one counter alone is a count rule. */
export function isCountRule(rule: CompiledRule): boolean {
  const windows = counterWindows(rule.scaledExpr);
  return windows.length === 1 && !windows[0]!.selector.includes('_bucket');
}

/**
 * The events a window of the counter holds: for a histogram's buckets only the +Inf bucket (every
 * observation), summed with the rule's own grouping and the fewest of any group taken, so that a
 * rule judged per provider is judged on the provider with the fewest.
 */
export function eventQuery(window: CounterWindow): string {
  const selector = window.selector.replace(/_bucket(\{.*\})?$/, (_match, matchers: string | undefined) => {
    const inner = matchers ? matchers.slice(1, -1).trim() : '';
    return `_bucket{${inner ? `${inner}, ` : ''}le="+Inf"}`;
  });
  const increase = `increase(${selector}[${window.range}])`;
  return window.aggregated ? `min(sum ${window.grouping} (${increase}))`.replace('sum  (', 'sum(') : `min(${increase})`;
}

/**
 * Time compression keeps rates per wall second, so a window holds 1/scale of the events it holds in
 * production. Counts the events of one window of `rule` at `atMs` (the largest over its counters:
 * the population a ratio is taken of) and says whether it reaches the floor, and at which scale it would.
 */
export async function checkPower(prometheus: PrometheusClient, rule: CompiledRule, scale: number, atMs: number): Promise<PowerCheck | undefined> {
  const windows = counterWindows(rule.scaledExpr).filter((w) => countsEvents(w.selector));
  if (windows.length === 0) return undefined;
  const queries = windows.map(eventQuery);
  const counts = await Promise.all(queries.map(async (q) => (await prometheus.instant(q, atMs))[0]?.value[1]));
  const values = counts.filter((c): c is string => c !== undefined).map(Number).filter((n) => Number.isFinite(n));
  const events = values.length === 0 ? null : Math.round(Math.max(...values) * 10) / 10;
  const best = values.length === 0 ? 0 : values.indexOf(Math.max(...values));
  return {
    alert: rule.alertname,
    window: formatDurationMs(parseDurationMs(windows[best]!.range, 'range', 'seconds') * scale),
    events,
    floor: MIN_EVENTS_PER_WINDOW,
    enough: events !== null && events >= MIN_EVENTS_PER_WINDOW,
    largestScale: events === null || events <= 0 ? null : Math.max(1, Math.floor((scale * events) / MIN_EVENTS_PER_WINDOW)),
    at: new Date(atMs).toISOString(),
    query: queries[best]!,
  };
}
