import { parseDurationMs } from '../duration.ts';
import { metricNamesIn, readsUnnamedSeries } from './promql-metrics.ts';
import { recordingRules } from './recording-rules.ts';
import type { CompiledRule, CompiledRuleFile } from './rule-files.ts';
import type { PromqlWindow, SeriesRead } from './scale-promql.ts';

/**
 * An alert over a recorded series watches the recording rule's windows too: `p95 > 1` over
 * `histogram_quantile(0.95, ... rate(x_bucket[5m]))` needs 5m of slow requests as much as if the
 * range were written in the alert. History, detection bounds and vacuity read these windows, so
 * alerts get the windows of every recording rule they read, through chains of them; and their
 * reads of the clock, which make the alert's verdicts as unscalable as its own would.
 */
export function withRecordedWindows(alerts: readonly CompiledRule[], ruleFiles: readonly CompiledRuleFile[]): CompiledRule[] {
  const recordExprs = recordingRules(ruleFiles.map((f) => f.doc));
  const ownWindows = new Map<string, PromqlWindow[]>();
  const ownClockReads = new Map<string, string[]>();
  for (const file of ruleFiles) {
    for (const group of file.groups) {
      for (const { rule, window } of group.windows) if (recordExprs.has(rule)) ownWindows.set(rule, [...(ownWindows.get(rule) ?? []), window]);
      for (const { rule, read } of group.clockReads) if (recordExprs.has(rule)) ownClockReads.set(rule, [...(ownClockReads.get(rule) ?? []), read]);
    }
  }

  /** What an expression reads through recorded series: their windows and clock reads, and whether any level reads series no name tells. */
  const recordedRead = (expr: string, seen: Set<string>): { windows: PromqlWindow[]; clockReads: string[]; unnamed: boolean } => {
    const found = { windows: [] as PromqlWindow[], clockReads: [] as string[], unnamed: readsUnnamedSeries(expr) };
    for (const name of metricNamesIn(expr)) {
      const recorded = recordExprs.get(name);
      if (recorded === undefined || seen.has(name)) continue;
      seen.add(name);
      const deeper = recordedRead(recorded, seen);
      found.windows.push(...(ownWindows.get(name) ?? []), ...deeper.windows);
      found.clockReads.push(...(ownClockReads.get(name) ?? []).map((read) => `${read} in ${name}`), ...deeper.clockReads);
      found.unnamed ||= deeper.unnamed;
    }
    return found;
  };

  const ownReads = new Map<string, SeriesRead[]>();
  for (const group of ruleFiles.flatMap((f) => f.groups)) {
    for (const { rule, read } of group.reads) if (recordExprs.has(rule)) ownReads.set(rule, [...(ownReads.get(rule) ?? []), read]);
  }
  /**
   * How far back a recorded series reaches into what it is recorded from: its selectors' ranges,
   * each plus the reach of a recorded series it reads in turn. `avg_over_time(p95[10m])` over a p95
   * of a 5m rate sees a fault's first request for 15m, not 10m.
   */
  const reachMemo = new Map<string, number>();
  const reachOf = (name: string | undefined, seen: ReadonlySet<string>): number => {
    if (name === undefined || !recordExprs.has(name) || seen.has(name)) return 0;
    const known = reachMemo.get(name);
    if (known !== undefined) return known;
    const deeper = new Set([...seen, name]);
    const selectorless = (ownWindows.get(name) ?? []).filter((w) => w.kind === 'range' || w.kind === 'subquery-range').map((w) => parseDurationMs(w.text, `record ${name}`, 'seconds'));
    const reach = Math.max(0, ...selectorless, ...(ownReads.get(name) ?? []).map((r) => r.rangeMs + reachOf(r.metric, deeper)));
    reachMemo.set(name, reach);
    return reach;
  };

  // An alert over ALERTS or over a selector with no metric name may read any rule's series: it gets every clock read there is.
  const everyClockRead = [...alerts.flatMap((a) => a.clockReads.map((read) => `${read} in ${a.alertname}`)), ...[...ownClockReads].flatMap(([name, reads]) => reads.map((read) => `${read} in ${name}`))];

  return alerts.map((alert) => {
    const found = recordedRead(alert.scaledExpr, new Set());
    const extra = found.unnamed ? { ...found, clockReads: [...new Set([...found.clockReads, ...everyClockRead.filter((r) => !r.endsWith(` in ${alert.alertname}`))])] } : found;
    if (extra.windows.length === 0 && extra.clockReads.length === 0) return alert;
    // `text` is the range as written: rule time.
    const ranges = extra.windows.filter((w) => w.kind === 'range' || w.kind === 'subquery-range').map((w) => parseDurationMs(w.text, `alert ${alert.alertname}`, 'seconds'));
    // A range over a recorded series adds to the recorded series' own reach (reachOf). Its offsets
    // are not followed: its ranges alone lengthen what the alert reads.
    const reads = alert.reads.map((r) => ({ ...r, throughMs: reachOf(r.metric, new Set()) }));
    const longestRangeMs = Math.max(alert.longestRangeMs, ...ranges, ...reads.map((r) => r.rangeMs + r.throughMs));
    const lookbackMs = Math.max(alert.lookbackMs, longestRangeMs, ...reads.map((r) => r.rangeMs + r.offsetMs + r.throughMs));
    return { ...alert, windows: [...alert.windows, ...extra.windows], longestRangeMs, lookbackMs, clockReads: [...alert.clockReads, ...extra.clockReads] };
  });
}
