import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileRuleFile } from './rule-files.ts';
import { withRecordedWindows } from './recorded-windows.ts';

const RULES = parse(`
groups:
  - name: recorded
    rules:
      - record: job:latency:p95
        expr: histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[5m])))
      - record: job:latency:p95_smoothed
        expr: avg_over_time(job:latency:p95[10m])
      - alert: Slow
        expr: job:latency:p95 > 1
        for: 5m
      - alert: SlowSmoothed
        expr: job:latency:p95_smoothed > 1
      - alert: Own
        expr: rate(errors_total[2m]) > 1
`);

describe('windows of recorded series', () => {
  const file = compileRuleFile('rules.yml', RULES, 60, 250);
  const alerts = new Map(withRecordedWindows(file.alerts, [file]).map((a) => [a.alertname, a]));

  it("gives an alert over a recorded series the recording rule's range", () => {
    expect(file.alerts.find((a) => a.alertname === 'Slow')!.longestRangeMs).toBe(0);
    expect(alerts.get('Slow')!.longestRangeMs).toBe(5 * 60_000);
    expect(alerts.get('Slow')!.windows.map((w) => w.scaledMs)).toEqual([5_000]);
  });

  it('follows chains of recording rules', () => {
    expect(alerts.get('SlowSmoothed')!.longestRangeMs).toBe(10 * 60_000);
    expect(alerts.get('SlowSmoothed')!.windows.map((w) => w.text).sort()).toEqual(['10m', '5m']);
  });

  it('leaves an alert that reads no recorded series as it was', () => {
    expect(alerts.get('Own')!.longestRangeMs).toBe(2 * 60_000);
    expect(alerts.get('Own')!.windows).toHaveLength(1);
  });
});
