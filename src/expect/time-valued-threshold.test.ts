import { describe, expect, it } from 'vitest';
import { timeThresholdMs } from './time-valued-threshold.ts';

const RECORDS = new Map([
  ['job:latency:p95', 'histogram_quantile(0.95, sum by (le) (rate(request_latency_seconds_bucket[5m])))'],
  ['job:requests:rate5m', 'sum(rate(request_latency_seconds_count[5m]))'],
]);

describe('thresholds that are a time, passed no sooner than that time after the cause', () => {
  it('a gauge in seconds (a transaction age): its threshold in seconds', () => {
    expect(timeThresholdMs('max by (datname) (pg_stat_activity_max_tx_duration{datname="x"}) > 5', RECORDS)).toBe(5_000);
  });

  it('a quantile of a seconds histogram, directly or through a recording rule', () => {
    expect(timeThresholdMs('histogram_quantile(0.99, sum by (le) (rate(request_latency_seconds_bucket[5m]))) > 0.5', RECORDS)).toBe(500);
    expect(timeThresholdMs('job:latency:p95 > 1', RECORDS)).toBe(1_000);
  });

  it('milliseconds histograms and averages from _sum', () => {
    expect(timeThresholdMs('histogram_quantile(0.95, sum by (le) (rate(http_latency_ms_bucket[5m]))) > 800', RECORDS)).toBe(800);
    expect(timeThresholdMs('rate(request_latency_seconds_sum[5m]) / rate(request_latency_seconds_count[5m]) > 2', RECORDS)).toBe(2_000);
  });

  it('an age read off the clock is rule time: its threshold passes in threshold / scale of wall time', () => {
    // A backup 10h stale can page no sooner than 15 min of wall time at scale 40, not 10 h: a late
    // page (a threshold of 36000 for 3600) must not pass within such a bound.
    expect(timeThresholdMs('time() - last_success_timestamp_seconds > 36000', RECORDS, 40)).toBe(900_000);
    expect(timeThresholdMs('time() - process_start_time_seconds > 60', RECORDS, 40)).toBe(1_500);
    const ages = new Map([...RECORDS, ['job:backup:age', 'time() - last_success_timestamp_seconds']]);
    expect(timeThresholdMs('job:backup:age > 3600', ages, 40)).toBe(90_000);
  });

  it('not a time: rates of _count or of buckets, counters, ratios, and "below" comparisons', () => {
    expect(timeThresholdMs('sum(rate(db_seconds_count[5m])) - sum(rate(db_seconds_bucket{le="0.5"}[5m])) > 10', RECORDS)).toBe(0);
    expect(timeThresholdMs('job:requests:rate5m > 100', RECORDS)).toBe(0);
    expect(timeThresholdMs('rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05', RECORDS)).toBe(0);
    expect(timeThresholdMs('pg_stat_activity_max_tx_duration < 5', RECORDS)).toBe(0);
  });
});
