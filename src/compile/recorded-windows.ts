import { parseDurationMs } from '../duration.ts';
import { metricNamesIn, readsUnnamedSeries } from './promql-metrics.ts';
import { recordingRules } from './recording-rules.ts';
import type { CompiledRule, CompiledRuleFile } from './rule-files.ts';
import type { PromqlWindow } from './scale-promql.ts';

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

  // An alert over ALERTS or over a selector with no metric name may read any rule's series: it gets every clock read there is.
  const everyClockRead = [...alerts.flatMap((a) => a.clockReads.map((read) => `${read} in ${a.alertname}`)), ...[...ownClockReads].flatMap(([name, reads]) => reads.map((read) => `${read} in ${name}`))];

  return alerts.map((alert) => {
    const found = recordedRead(alert.scaledExpr, new Set());
    const extra = found.unnamed ? { ...found, clockReads: [...new Set([...found.clockReads, ...everyClockRead.filter((r) => !r.endsWith(` in ${alert.alertname}`))])] } : found;
    if (extra.windows.length === 0 && extra.clockReads.length === 0) return alert;
    // `text` is the range as written: rule time.
    const ranges = extra.windows.filter((w) => w.kind === 'range' || w.kind === 'subquery-range').map((w) => parseDurationMs(w.text, `alert ${alert.alertname}`, 'seconds'));
    // A recorded series' offsets are not followed: its ranges alone lengthen what the alert reads.
    const longestRangeMs = Math.max(alert.longestRangeMs, ...ranges);
    return { ...alert, windows: [...alert.windows, ...extra.windows], longestRangeMs, lookbackMs: Math.max(alert.lookbackMs, longestRangeMs), clockReads: [...alert.clockReads, ...extra.clockReads] };
  });
}
