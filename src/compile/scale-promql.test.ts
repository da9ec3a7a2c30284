import { describe, expect, it } from 'vitest';
import { scalePromql } from './scale-promql.ts';

describe('scalePromql', () => {
  it('scales ranges inside nested functions and leaves thresholds and quantiles alone', () => {
    const expr = 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job="api"}[5m])) by (le)) > 0.5';
    expect(scalePromql(expr, 20, 'r').expr).toBe(
      'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job="api"}[15s])) by (le)) > 0.5',
    );
  });

  it('scales offsets, negative offsets and compound durations', () => {
    expect(scalePromql('rate(x[1h30m] offset 1h) - x offset -10m', 60, 'r').expr).toBe('rate(x[1m30s] offset 1m) - x offset -10s');
  });

  it('scales subquery range and step, and an omitted step stays omitted', () => {
    const scaled = scalePromql('max_over_time(rate(x[1m])[10m:30s]) + max_over_time(y[10m:])', 20, 'r');
    expect(scaled.expr).toBe('max_over_time(rate(x[3s])[30s:1s500ms]) + max_over_time(y[30s:])');
    expect(scaled.windows.map((w) => `${w.kind}:${w.text}`)).toEqual(['range:1m', 'subquery-range:10m', 'subquery-step:30s', 'subquery-range:10m']);
  });

  it('does not touch label values or metric names that look like durations', () => {
    expect(scalePromql('up{window="5m", job="a1m"} == 0', 20, 'r').expr).toBe('up{window="5m", job="a1m"} == 0');
  });

  it('rounds to whole milliseconds', () => {
    expect(scalePromql('rate(x[10s])', 3, 'r').expr).toBe('rate(x[3s333ms])');
  });

  it('refuses PromQL that does not parse, naming where', () => {
    expect(() => scalePromql('rate(x[5m]', 20, 'rules.yml: alert X: expr')).toThrow(
      'rules.yml: alert X: expr: PromQL does not parse near column 11: rate(x[5m]',
    );
  });
});
