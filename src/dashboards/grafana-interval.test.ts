import { describe, expect, it } from 'vitest';
import { expandIntervals, grafanaIntervals, roundInterval } from './grafana-interval.ts';

const hour = 3_600_000;

describe("Grafana's interval variables", () => {
  it('round to the ladder Grafana uses', () => {
    expect([5, 12, 400, 3_600, 10_000, 50_000, 100_000, 5_000_000].map(roundInterval)).toEqual([1, 10, 500, 5_000, 10_000, 60_000, 120_000, 3_600_000]);
  });

  it('give $__interval at least the scrape interval, and $__rate_interval max($__interval + scrape, 4 x scrape)', () => {
    // 1h over 1000 points is 3.6s, rounded to 5s, raised to the 15s scrape interval.
    expect(grafanaIntervals({ fromMs: 0, toMs: hour, maxDataPoints: 1000, scrapeIntervalMs: 15_000 })).toEqual({ intervalMs: 15_000, rateIntervalMs: 60_000, rangeMs: hour });
    // 7d over 1000 points is 604.8s, rounded to 10m: the interval wins.
    expect(grafanaIntervals({ fromMs: 0, toMs: 168 * hour, maxDataPoints: 1000, scrapeIntervalMs: 15_000 })).toMatchObject({ intervalMs: 600_000, rateIntervalMs: 615_000 });
    // A query's min step stands in for the scrape interval.
    expect(grafanaIntervals({ fromMs: 0, toMs: hour, maxDataPoints: 1000, scrapeIntervalMs: 15_000, queryMinStepMs: 60_000 })).toMatchObject({ intervalMs: 60_000, rateIntervalMs: 240_000 });
  });

  it('are substituted in every spelling, $__rate_interval before the $__interval it starts with', () => {
    const i = { intervalMs: 15_000, rateIntervalMs: 75_000, rangeMs: hour };
    expect(expandIntervals('rate(x[$__rate_interval]) + rate(y[${__interval}]) / $__range_s + $__interval_ms + increase(z[$__range])', i)).toBe('rate(x[1m15s]) + rate(y[15s]) / 3600 + 15000 + increase(z[3600s])');
  });
});
