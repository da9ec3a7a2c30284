import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../compile/rule-files.ts';
import type { PrometheusClient } from './prometheus-client.ts';
import { describeValueSeries, nearestToThreshold, ruleValueSeries } from './rule-value-series.ts';

const at = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('nearestToThreshold', () => {
  // A count over a window: it rose to 18, short of 20, and had fallen back to 0 by the end.
  const count: [number, number][] = [[100, 0], [101, 12], [102, 18], [103, 9], [104, 0]];

  it('picks the highest value for an upper threshold, written either way round', () => {
    expect(nearestToThreshold(count, '> 20')).toEqual({ label: 'at its highest', at: at(102), value: 18 });
    expect(nearestToThreshold(count, '20 <=')).toEqual({ label: 'at its highest', at: at(102), value: 18 });
  });

  it('picks the lowest value for a lower threshold, skipping values that are not numbers', () => {
    const ratio: [number, number][] = [[100, 0.99], [101, Number.NaN], [102, 0.97], [103, 0.98]];
    expect(nearestToThreshold(ratio, '< 0.95')).toEqual({ label: 'at its lowest', at: at(102), value: 0.97 });
    expect(nearestToThreshold(ratio, '0.95 >')).toEqual({ label: 'at its lowest', at: at(102), value: 0.97 });
  });

  it('keeps an infinite value, which comes closest of all (a ratio over a window with no requests)', () => {
    expect(nearestToThreshold([[100, 0.01], [101, Infinity], [102, Number.NaN]], '> 0.05')).toEqual({ label: 'at its highest', at: at(101), value: Infinity });
  });

  it('picks none for an equality, no comparison or no values', () => {
    expect(nearestToThreshold(count, '== 0')).toBeUndefined();
    expect(nearestToThreshold(count, '!= 0')).toBeUndefined();
    expect(nearestToThreshold(count, '')).toBeUndefined();
    expect(nearestToThreshold([], '> 20')).toBeUndefined();
  });
});

describe('ruleValueSeries', () => {
  it('says each mark and how near the value came, so a count that fell back by the end does not read as never moving', async () => {
    const prometheus = {
      range: async () => [{ metric: { job: 'bot' }, values: [[100, '0'], [101, '12'], [102, '18'], [103, '9'], [104, '0']] }, { metric: { job: 'idle' }, values: [[100, 'NaN'], [101, '+Inf'], [104, '3']] }],
    } as unknown as PrometheusClient;
    const rule = { scaledExpr: 'sum by (job) (increase(trades_total[15s])) > 20', scaledEvaluationIntervalMs: 1000 } as CompiledRule;
    const series = await ruleValueSeries(prometheus, rule, {}, { startMs: 100_000, faultMs: 101_000, endMs: 104_000 });
    expect(describeValueSeries(series)).toEqual([
      'value{job="bot"}: before the fault 0, at the fault 12, at the end 0, at its highest 18; threshold > 20',
      // Prometheus writes infinities and NaN as words: read as such, not as no number.
      'value{job="idle"}: before the fault NaN, at the fault +Inf, at the end 3, at its highest +Inf; threshold > 20',
    ]);
  });
});

describe('ruleValueSeries with no data', () => {
  const rule = {
    expr: 'sum(rate(cache_hit_total{job="api"}[10m])) / sum(rate(cache_requests_total{job="api"}[10m])) < 0.8',
    scaledExpr: 'sum(rate(cache_hit_total{job="api"}[15s])) / sum(rate(cache_requests_total{job="api"}[15s])) < 0.8',
    scaledEvaluationIntervalMs: 1000,
  } as CompiledRule;
  const marks = { startMs: 100_000, endMs: 104_000 };
  /** A Prometheus where only the named metrics have series. */
  const prometheusWith = (...present: string[]) =>
    ({ range: async (query: string) => (query.startsWith('count(') && present.some((m) => query.includes(m)) ? [{ metric: {}, values: [[100, '1']] }] : []) }) as unknown as PrometheusClient;

  it('says which selector had no series at all (a renamed metric), rather than only that there was no data', async () => {
    const series = await ruleValueSeries(prometheusWith('cache_requests_total'), rule, {}, marks);
    expect(describeValueSeries(series)).toEqual([
      // The expression as written ([10m]), though the query ran scaled ([15s]).
      'value of sum(rate(cache_hit_total{job="api"}[10m])) / sum(rate(cache_requests_total{job="api"}[10m])): no data over the drill: cache_hit_total{job="api"} had no series at all (a metric name or label value the targets do not expose, or a job that was not scraped)',
    ]);
  });

  it('says when every selector had series and the expression joined none of them', async () => {
    const series = await ruleValueSeries(prometheusWith('cache_hit_total', 'cache_requests_total'), rule, {}, marks);
    expect(describeValueSeries(series)[0]).toMatch(/: no data over the drill: each of its selectors had series, but the expression matched none of them together/);
  });
});
