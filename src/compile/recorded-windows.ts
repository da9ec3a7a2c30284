import { parseDurationMs } from '../duration.ts';
import { metricNamesIn } from './promql-metrics.ts';
import { recordingRules } from './recording-rules.ts';
import type { CompiledRule, CompiledRuleFile } from './rule-files.ts';
import type { PromqlWindow } from './scale-promql.ts';

/**
 * An alert over a recorded series watches the recording rule's windows too: `p95 > 1` over
 * `histogram_quantile(0.95, ... rate(x_bucket[5m]))` needs 5m of slow requests as much as if the
 * range were written in the alert. History, detection bounds and vacuity read these windows, so
 * alerts get the windows of every recording rule they read, through chains of them.
 */
export function withRecordedWindows(alerts: readonly CompiledRule[], ruleFiles: readonly CompiledRuleFile[]): CompiledRule[] {
  const recordExprs = recordingRules(ruleFiles.map((f) => f.doc));
  if (recordExprs.size === 0) return [...alerts];
  const ownWindows = new Map<string, PromqlWindow[]>();
  for (const file of ruleFiles) for (const group of file.groups) for (const { rule, window } of group.windows) if (recordExprs.has(rule)) ownWindows.set(rule, [...(ownWindows.get(rule) ?? []), window]);

  const windowsRead = (expr: string, seen: Set<string>): PromqlWindow[] =>
    metricNamesIn(expr).flatMap((name) => {
      const recorded = recordExprs.get(name);
      if (recorded === undefined || seen.has(name)) return [];
      seen.add(name);
      return [...(ownWindows.get(name) ?? []), ...windowsRead(recorded, seen)];
    });

  return alerts.map((alert) => {
    const extra = windowsRead(alert.scaledExpr, new Set());
    if (extra.length === 0) return alert;
    // `text` is the range as written: rule time.
    const ranges = extra.filter((w) => w.kind === 'range' || w.kind === 'subquery-range').map((w) => parseDurationMs(w.text, `alert ${alert.alertname}`, 'seconds'));
    return { ...alert, windows: [...alert.windows, ...extra], longestRangeMs: Math.max(alert.longestRangeMs, ...ranges) };
  });
}
