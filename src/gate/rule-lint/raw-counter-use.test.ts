import { describe, expect, it } from 'vitest';
import { parsePromql, selectorsIn } from './promql-tree.ts';
import { rawCounterUse } from './raw-counter-use.ts';

/** The use of each selector named `metric` in `expr`, in source order. */
function usesOf(expr: string, metric: string): string[] {
  const parsed = parsePromql(expr)!;
  return selectorsIn(parsed, parsed.root)
    .filter((s) => s.metric === metric)
    .map((s) => rawCounterUse(parsed, s.node).kind);
}

describe('rawCounterUse', () => {
  it('finds divisions and comparisons through sums, parentheses, arithmetic, relabelling and the left side of and', () => {
    expect(usesOf('a_total / (a_total + b_total) < 0.8', 'a_total')).toEqual(['ratio', 'ratio']);
    expect(usesOf('sum by (job) (label_replace(a_total, "x", "$1", "y", "(.*)")) * 2 > 10', 'a_total')).toEqual(['comparison']);
    expect(usesOf('rate(b_total[5m]) / a_total', 'a_total')).toEqual(['ratio']);
    expect(usesOf('a_total > 5 and on() rate(b_total[5m]) > 1', 'a_total')).toEqual(['comparison']);
    expect(usesOf('a_total offset 1h == 0', 'a_total')).toEqual(['comparison']);
  });

  it('lets range functions, other functions, presence checks and filters consume the value', () => {
    expect(usesOf('rate(a_total[5m]) > 1', 'a_total')).toEqual(['consumed']);
    expect(usesOf('max_over_time(rate(a_total[1m])[10m:1m]) > 1', 'a_total')).toEqual(['consumed']);
    expect(usesOf('absent(a_total) == 1', 'a_total')).toEqual(['consumed']);
    expect(usesOf('count(a_total) < 2', 'a_total')).toEqual(['consumed']);
    expect(usesOf('histogram_quantile(0.9, a_bucket) > 1', 'a_bucket')).toEqual(['consumed']);
    expect(usesOf('rate(b_total[5m]) > 1 and a_total', 'a_total')).toEqual(['consumed']);
    expect(usesOf('topk(a_total, b_total)', 'a_total')).toEqual(['consumed']);
  });

  it('takes a subtraction of an offset copy for a hand-written increase, wherever the parser hangs the offset', () => {
    expect(usesOf('a_total - a_total offset 1h > 5', 'a_total')).toEqual(['consumed', 'consumed']);
    expect(usesOf('(a_total offset 1h) - a_total < 5', 'a_total')).toEqual(['consumed', 'consumed']);
  });

  it('calls a value that reaches the result unchanged a copy, not a mistake', () => {
    expect(usesOf('sum by (job) (a_total)', 'a_total')).toEqual(['copied']);
    expect(usesOf('a_total / 1024', 'a_total')).toEqual(['copied']);
    expect(usesOf('rate(b_total[5m]) or a_total', 'a_total')).toEqual(['copied']);
  });
});
