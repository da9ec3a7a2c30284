import type { LintFinding } from './lint-finding.ts';
import { fixedQuantileCall, quantileCalls } from './histogram-quantile-calls.ts';
import { ruleFinding, theAlert, type RuleEntry } from './rule-entries.ts';

/**
 * histogram_quantile over `*_bucket` series that no rate(), increase() or irate() windows: the
 * buckets are lifetime counts, so the quantile is over every request since the process started and
 * barely moves; the alert fires late and does not resolve.
 */
export function quantileWithoutRate(rules: readonly RuleEntry[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of rules) {
    for (const quantile of quantileCalls(entry.promql)) {
      const lifetime = [...new Set(quantile.buckets.filter((b) => !b.windowed).map((b) => b.selector.metric))];
      if (lifetime.length === 0) continue;
      findings.push(
        ruleFinding(
          'quantile-without-rate',
          entry,
          `histogram_quantile over ${lifetime.join(' and ')} without rate(): the quantile of all requests since start, which barely moves, so ${theAlert(entry)} fires late and never resolves; write ${fixedQuantileCall(entry.promql, quantile)}`,
        ),
      );
    }
  }
  return findings;
}
