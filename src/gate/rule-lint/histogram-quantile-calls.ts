import { compactText, type TextEdit } from './compact-text.ts';
import {
  aggregationGrouping,
  aggregationOp,
  ancestorsBelow,
  argumentsOf,
  descendants,
  functionName,
  selectorsIn,
  type ParsedPromql,
  type PromqlNode,
  type Selector,
} from './promql-tree.ts';
import { rateWrap } from './rate-wrap.ts';

/** Functions that turn a bucket counter into per-window counts, which histogram_quantile needs. */
const WINDOWED = new Set(['rate', 'increase', 'irate']);

/** Aggregations that merge series (and so drop the labels they do not keep); topk and friends only pick series. */
export const MERGING_AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'quantile', 'count_values']);

/** A classic `*_bucket` series under histogram_quantile, and what happens to it on the way there. */
export interface BucketUse {
  readonly selector: Selector;
  /** Inside rate(), increase() or irate() before it reaches histogram_quantile. */
  readonly windowed: boolean;
  /** The merging aggregations between the selector and histogram_quantile, innermost first. */
  readonly aggregations: readonly PromqlNode[];
}

/** One histogram_quantile() call over classic buckets. */
export interface QuantileCall {
  readonly call: PromqlNode;
  readonly buckets: readonly BucketUse[];
}

/** Every histogram_quantile call whose second argument reaches a selector named `*_bucket`. */
export function quantileCalls(parsed: ParsedPromql): QuantileCall[] {
  const calls: QuantileCall[] = [];
  for (const call of descendants(parsed.root, 'FunctionCall')) {
    if (functionName(parsed, call) !== 'histogram_quantile') continue;
    const bucketArg = argumentsOf(call)[1];
    if (!bucketArg) continue;
    const buckets = selectorsIn(parsed, bucketArg)
      .filter((selector) => selector.metric?.endsWith('_bucket'))
      .map((selector): BucketUse => {
        const path = ancestorsBelow(selector.node, call);
        return {
          selector,
          windowed: path.some((node) => node.name === 'FunctionCall' && WINDOWED.has(functionName(parsed, node))),
          aggregations: path.filter((node) => node.name === 'AggregateExpr' && MERGING_AGGREGATIONS.has(aggregationOp(parsed, node))),
        };
      });
    if (buckets.length > 0) calls.push({ call, buckets });
  }
  return calls;
}

/** Whether an aggregation keeps the `le` label that histogram_quantile reads its buckets from. */
export function keepsLe(parsed: ParsedPromql, aggregate: PromqlNode): boolean {
  const grouping = aggregationGrouping(parsed, aggregate);
  if (grouping.kind === 'by') return grouping.labels.includes('le');
  if (grouping.kind === 'without') return !grouping.labels.includes('le');
  return false;
}

/**
 * The call rewritten the way it should be: every bucket selector inside rate(), every merging
 * aggregation keeping `le`, and a `sum by (le)` around the argument when nothing merges series.
 * `histogram_quantile(0.95, x_bucket)` -> `histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))`.
 */
export function fixedQuantileCall(parsed: ParsedPromql, quantile: QuantileCall): string {
  const bucketArg = argumentsOf(quantile.call)[1]!;
  const opens: TextEdit[] = [];
  const closes: TextEdit[] = [];
  const unmerged = quantile.buckets.every((bucket) => bucket.aggregations.length === 0);
  if (unmerged) {
    opens.push({ from: bucketArg.from, to: bucketArg.from, text: 'sum by (le) (' });
  }
  for (const bucket of quantile.buckets) {
    if (bucket.windowed) continue;
    const wrap = rateWrap(bucket.selector.node);
    opens.push(wrap.open);
    closes.unshift(...wrap.close);
  }
  if (unmerged) closes.push({ from: bucketArg.to, to: bucketArg.to, text: ')' });
  const regroups = uniqueNodes(quantile.buckets.flatMap((bucket) => bucket.aggregations))
    .filter((aggregate) => !keepsLe(parsed, aggregate))
    .map((aggregate) => groupingWithLe(parsed, aggregate));
  return compactText(parsed, quantile.call, [...opens, ...regroups, ...closes]);
}

function groupingWithLe(parsed: ParsedPromql, aggregate: PromqlNode): TextEdit {
  const grouping = aggregationGrouping(parsed, aggregate);
  const modifier = aggregate.getChild('AggregateModifier');
  if (grouping.kind === 'none' || !modifier) {
    const op = aggregate.getChild('AggregateOp')!;
    return { from: op.to, to: op.to, text: ' by (le) ' };
  }
  if (grouping.kind === 'by') return { from: modifier.from, to: modifier.to, text: `by (${['le', ...grouping.labels].join(', ')})` };
  const rest = grouping.labels.filter((label) => label !== 'le');
  // `without ()` would keep every label: one quantile per series, which is not what an aggregation was for.
  return { from: modifier.from, to: modifier.to, text: rest.length > 0 ? `without (${rest.join(', ')})` : 'by (le)' };
}

function uniqueNodes(nodes: readonly PromqlNode[]): PromqlNode[] {
  const seen = new Set<string>();
  return nodes.filter((node) => {
    const key = `${node.from}:${node.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
