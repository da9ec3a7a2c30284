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

  it('follows chains of recording rules, adding their ranges: a 10m average of a p95 over 5m sees a slow request for 15m', () => {
    expect(alerts.get('SlowSmoothed')!.longestRangeMs).toBe(15 * 60_000);
    expect(alerts.get('SlowSmoothed')!.lookbackMs).toBe(15 * 60_000);
    expect(alerts.get('SlowSmoothed')!.windows.map((w) => w.text).sort()).toEqual(['10m', '5m']);
  });

  it("adds the alert's own range over a recorded series to the series' reach, and its offset to the lookback", () => {
    const file = compileRuleFile('rules.yml', parse(`
groups:
  - name: slo
    rules:
      - record: job:errors:ratio_rate5m
        expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))
      - alert: BudgetBurn
        expr: avg_over_time(job:errors:ratio_rate5m[30m]) > 0.02
      - alert: WorseThanYesterday
        expr: job:errors:ratio_rate5m > 2 * job:errors:ratio_rate5m offset 1h
`), 40, 250);
    const burn = new Map(withRecordedWindows(file.alerts, [file]).map((a) => [a.alertname, a]));
    expect(burn.get('BudgetBurn')!.longestRangeMs).toBe(35 * 60_000);
    expect(burn.get('WorseThanYesterday')!.longestRangeMs).toBe(5 * 60_000);
    expect(burn.get('WorseThanYesterday')!.lookbackMs).toBe(65 * 60_000);
  });

  it('leaves an alert that reads no recorded series as it was', () => {
    expect(alerts.get('Own')!.longestRangeMs).toBe(2 * 60_000);
    expect(alerts.get('Own')!.windows).toHaveLength(1);
  });
});

describe('clock reads of recorded series', () => {
  const compiled = (rules: string) => {
    const file = compileRuleFile('rules.yml', parse(rules), 40, 250);
    return new Map(withRecordedWindows(file.alerts, [file]).map((a) => [a.alertname, a.clockReads]));
  };

  it('follows every rule that records a name, not only the last, through chains', () => {
    const reads = compiled(`
groups:
  - name: g
    rules:
      - record: job:stale:bool
        expr: last_success_timestamp_seconds < bool time() - 3600
      - record: job:problem:bool
        expr: job:stale:bool
      - record: job:problem:bool
        expr: vector(0)
      - alert: Stale
        expr: job:problem:bool > 0
      - alert: Own
        expr: rate(errors_total[2m]) > 1
`);
    expect(reads.get('Stale')).toEqual(['time() in job:stale:bool']);
    expect(reads.get('Own')).toEqual([]);
  });

  it("gives an alert over ALERTS, or over a selector with no metric name, every clock read of the rules", () => {
    const reads = compiled(`
groups:
  - name: g
    rules:
      - record: job:hour
        expr: hour()
      - alert: OffHours
        expr: hour() < 6 and rate(requests_total[5m]) > 0
      - alert: Meta
        expr: count(ALERTS{alertname="OffHours", alertstate="firing"}) > 0
      - alert: Matched
        expr: '{__name__=~"job:.*"} > 0'
      - alert: Own
        expr: rate(errors_total[2m]) > 1
`);
    expect(reads.get('OffHours')).toEqual(['hour()']);
    expect(reads.get('Meta')).toEqual(['hour() in OffHours', 'hour() in job:hour']);
    expect(reads.get('Matched')).toEqual(['hour() in OffHours', 'hour() in job:hour']);
    expect(reads.get('Own')).toEqual([]);
  });
});
