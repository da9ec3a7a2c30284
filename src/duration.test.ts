import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.ts';
import { fault } from './faults/fault-spec.ts';

describe('parseDurationMs', () => {
  it('reads Prometheus durations, and 0 alone without a unit', () => {
    expect(parseDurationMs('1h30m', 'x')).toBe(5_400_000);
    expect(parseDurationMs('250ms', 'x')).toBe(250);
    expect(parseDurationMs('0', 'x')).toBe(0);
  });

  it('refuses a number without a unit, naming where and both readings (it was read as seconds: 300 meant as ms was a five-minute delay)', () => {
    expect(() => parseDurationMs('300', 'hold')).toThrow("hold: '300' has no unit; write '300ms' or '300s' (durations carry a unit, as in Prometheus)");
    expect(() => fault.latency('cache', '300')).toThrow("fault.latency('cache'): '300' has no unit");
    // Where the format reads a bare number as seconds (a PromQL range, a Grafana interval), so does firedrill.
    expect(parseDurationMs('300', 'rate(x[300])', 'seconds')).toBe(300_000);
    expect(() => parseDurationMs('5min', 'at')).toThrow("at: '5min' is not a duration; write it like '30s', '5m' or '1h30m'");
  });
});
