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

  it('multiplies a count by the scale: a window of 1/scale the length holds 1/scale of the events', () => {
    // At 10 rps with 1% errors, production's 5m holds 30 errors; the drill's 7.5 s holds 0.75, times 40: 30.
    const scaled = scalePromql('sum(increase(http_requests_total{status=~"5.."}[5m])) > 20', 40, 'r');
    expect(scaled.expr).toBe('sum(((increase(http_requests_total{status=~"5.."}[7s500ms])) * 40)) > 20');
    expect(scaled.clockReads).toEqual([]);
    // a ratio of counts, and a rate, come out as before
    expect(scalePromql('increase(a[5m]) / increase(b[5m])', 20, 'r').expr).toBe('((increase(a[15s])) * 20) / ((increase(b[15s])) * 20)');
    expect(scalePromql('rate(x[5m]) * 300 > 20', 20, 'r').expr).toBe('rate(x[15s]) * 300 > 20');
    expect(scalePromql('increase(x[5m]) > 20', 1, 'r').expr).toBe('increase(x[5m]) > 20');
  });

  it('multiplies an age by the scale: wall seconds of a world that runs scale times faster', () => {
    expect(scalePromql('time() - process_start_time_seconds > 60', 40, 'r').expr).toBe('((time() - process_start_time_seconds) * 40) > 60');
    expect(scalePromql('(time() - timestamp(up)) > 60', 40, 'r').expr).toBe('(((time() - timestamp(up)) * 40)) > 60');
    expect(scalePromql('vector(time()) - on() last_success_timestamp_seconds > 3600', 40, 'r').expr).toBe('((vector(time()) - on() last_success_timestamp_seconds) * 40) > 3600');
    // Prometheus binds offset and @ to the selector: they stay inside the age
    expect(scalePromql('time() - x offset 5m > 60', 40, 'r').expr).toBe('((time() - x offset 7s500ms) * 40) > 60');
    expect(scalePromql('time() - x @ 123 > 60', 40, 'r').expr).toBe('((time() - x @ 123) * 40) > 60');
    // what it reads of the clock inside the age is part of it
    const sinceChange = scalePromql('time() - max_over_time(timestamp(changes(x[1m]) > 0)[1h:1m]) > 600', 40, 'r');
    expect(sinceChange.expr).toBe('((time() - max_over_time(timestamp(changes(x[1s500ms]) > 0)[1m30s:1s500ms])) * 40) > 600');
    expect(sinceChange.clockReads).toEqual([]);
  });

  it('returns the reads of the clock it cannot scale: a clock time against numbers, a time less now, calendar functions', () => {
    expect(scalePromql('last_success_timestamp_seconds < time() - 3600', 40, 'r')).toEqual({ expr: 'last_success_timestamp_seconds < time() - 3600', windows: [], clockReads: ['time()'], reads: [{ rangeMs: 0, offsetMs: 0, metric: 'last_success_timestamp_seconds' }] });
    expect(scalePromql('last_success_timestamp_seconds < time() - 24 * 3600', 40, 'r').clockReads).toEqual(['time()']);
    expect(scalePromql('probe_ssl_earliest_cert_expiry - time() < 86400 * 7', 40, 'r').clockReads).toEqual(['time()']);
    expect(scalePromql('up == 0 and on() hour() >= 9 and on() day_of_week() < 6', 40, 'r').clockReads).toEqual(['hour()', 'day_of_week()']);
    expect(scalePromql('time() > 1700000000', 40, 'r').clockReads).toEqual(['time()']);
  });

  it('refuses PromQL that does not parse, naming where', () => {
    expect(() => scalePromql('rate(x[5m]', 20, 'rules.yml: alert X: expr')).toThrow(
      'rules.yml: alert X: expr: PromQL does not parse near column 11: rate(x[5m]',
    );
  });
});

describe('scalePromql: how far back each selector reads', () => {
  const reads = (expr: string) => scalePromql(expr, 40, 'x').reads;

  it('sums a range with the subquery ranges around it, and the offsets bound to it or to them', () => {
    expect(reads('max_over_time(rate(x[5m])[10m:1m] offset 2m)')).toEqual([{ rangeMs: 900_000, offsetMs: 120_000, metric: 'x' }]);
    expect(reads('rate(x[5m] offset 1h) > 1')).toEqual([{ rangeMs: 300_000, offsetMs: 3_600_000, metric: 'x' }]);
    expect(reads('x offset 5m > 1')).toEqual([{ rangeMs: 0, offsetMs: 300_000, metric: 'x' }]);
    // A negative offset reads the future: it counts against the reach.
    expect(reads('avg_over_time(up[5m] offset -1m)')).toEqual([{ rangeMs: 300_000, offsetMs: -60_000, metric: 'up' }]);
  });

  it('gives every selector its own: a comparison with yesterday reads one selector a day back and the other not at all', () => {
    expect(reads('rate(e[5m]) > 2 * rate(e[5m] offset 1d)')).toEqual([
      { rangeMs: 300_000, offsetMs: 0, metric: 'e' },
      { rangeMs: 300_000, offsetMs: 86_400_000, metric: 'e' },
    ]);
    expect(reads('vector(1)')).toEqual([]);
    // Any string literal names it, raw or with a Go-only escape, and never stops the compile.
    expect(reads("sum({__name__=`up`}) + {__name__='u\\'p'} + {__name__=\"u\\x70\"}").map((r) => r.metric)).toEqual(['up', "u'p", 'u\\x70']);
    // A selector by __name__ names its metric too; one with no name names none.
    expect(reads('{__name__="job:errors:rate5m"} > 1 or {job="api"} > 1')).toEqual([
      { rangeMs: 0, offsetMs: 0, metric: 'job:errors:rate5m' },
      { rangeMs: 0, offsetMs: 0 },
    ]);
    // Prometheus binds an offset to the selector before it; the parser, to the whole difference.
    expect(reads('disk_used - disk_used offset 1h > 10e9')).toEqual([
      { rangeMs: 0, offsetMs: 0, metric: 'disk_used' },
      { rangeMs: 0, offsetMs: 3_600_000, metric: 'disk_used' },
    ]);
    expect(reads('a - b * c offset 5m')).toEqual([
      { rangeMs: 0, offsetMs: 0, metric: 'a' },
      { rangeMs: 0, offsetMs: 0, metric: 'b' },
      { rangeMs: 0, offsetMs: 300_000, metric: 'c' },
    ]);
  });
});
