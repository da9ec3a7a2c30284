import type { LintFinding } from './lint-finding.ts';
import { fixedQuantileCall, keepsLe, quantileCalls, type QuantileCall } from './histogram-quantile-calls.ts';
import { compactText } from './compact-text.ts';
import { aggregationGrouping, aggregationOp } from './promql-tree.ts';
import { ruleFinding, theAlert, type RuleEntry } from './rule-entries.ts';

/**
 * histogram_quantile over `*_bucket` series that are not merged by a `sum by (le)`: with no merging
 * aggregation the quantile is computed per instance and label set (one alert per pod, and each pod's
 * few requests make a noisy quantile); with one that drops `le` there are no buckets left and the
 * quantile has no result at all, so the alert can never fire.
 */
export function quantileWithoutSumByLe(rules: readonly RuleEntry[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of rules) {
    for (const quantile of quantileCalls(entry.promql)) {
      const problem = groupingProblem(entry, quantile);
      if (problem) findings.push(ruleFinding('quantile-without-sum-by-le', entry, `${problem}; write ${fixedQuantileCall(entry.promql, quantile)}`));
    }
  }
  return findings;
}

function groupingProblem(entry: RuleEntry, quantile: QuantileCall): string | undefined {
  const parsed = entry.promql;
  const metrics = [...new Set(quantile.buckets.map((b) => b.selector.metric))].join(' and ');
  const droppingLe = quantile.buckets.flatMap((b) => b.aggregations).find((aggregate) => !keepsLe(parsed, aggregate));
  if (droppingLe) {
    const grouping = aggregationGrouping(parsed, droppingLe);
    const written = grouping.kind === 'none' ? `plain ${aggregationOp(parsed, droppingLe)}(...)` : `${aggregationOp(parsed, droppingLe)} ${compactText(parsed, droppingLe.getChild('AggregateModifier')!)}`;
    return `histogram_quantile over ${metrics} aggregated with ${written}, which drops le: with no buckets left the quantile has no result, so ${theAlert(entry)} can never fire`;
  }
  if (quantile.buckets.every((b) => b.aggregations.length === 0)) {
    return `histogram_quantile over ${metrics} without sum by (le): one quantile per instance and label set, so it is noisy and ${theAlert(entry)} fires per pod instead of for the service`;
  }
  return undefined;
}
