import { parser } from '@prometheus-io/lezer-promql';

type Node = { name: string; from: number; to: number; parent: Node | null; firstChild: Node | null; lastChild: Node | null; nextSibling: Node | null; getChild(name: string): Node | null };

const COMPARISONS = new Set(['Eql', 'Neq', 'Lss', 'Lte', 'Gtr', 'Gte']);
const NUMBER = new Set(['NumberDurationLiteral', 'NumberLiteral']);

/** An alert expression split at its threshold: the value it compares, and the comparison. */
export interface ValueAndThreshold {
  /** The expression without its outermost comparison against a number: what the alert watches. */
  readonly value: string;
  /** `> 0.05`, as written; empty when the expression compares against no number. */
  readonly threshold: string;
  /** Whether the alert fires when the value is above its threshold (`> 0.05`), below or at it (`< 2`, `== 0`), or compares with no number. */
  readonly direction: 'above' | 'below' | 'none';
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/**
 * Reads what an alert expression watches by dropping its outermost comparison with a number
 * (through the real PromQL parser): `(errors / total) > 0.05` -> `(errors / total)`, and inside
 * functions too: `label_replace(ratio > 0.5, ...)` -> `label_replace(ratio, ...)`.
 */
export function valueAndThreshold(expr: string): ValueAndThreshold {
  let found: { from: number; to: number; value: string; threshold: string; direction: 'above' | 'below' } | undefined;
  parser.parse(expr).iterate({
    enter(ref) {
      if (found) return false;
      if (ref.name !== 'BinaryExpr') return;
      const parts = children(ref.node as unknown as Node);
      const op = parts.find((p) => COMPARISONS.has(p.name));
      const lhs = parts[0];
      const rhs = parts.at(-1);
      if (!op || !lhs || !rhs) return;
      const text = (n: Node) => expr.slice(n.from, n.to);
      const greater = op.name === 'Gtr' || op.name === 'Gte';
      const less = op.name === 'Lss' || op.name === 'Lte';
      if (NUMBER.has(rhs.name)) found = { from: ref.from, to: ref.to, value: text(lhs), threshold: `${text(op)} ${text(rhs)}`, direction: greater ? 'above' : 'below' };
      else if (NUMBER.has(lhs.name)) found = { from: ref.from, to: ref.to, value: text(rhs), threshold: `${text(lhs)} ${text(op)}`, direction: less ? 'above' : 'below' };
      return found ? false : undefined;
    },
  });
  if (!found) return { value: expr.trim(), threshold: '', direction: 'none' };
  return { value: `${expr.slice(0, found.from)}${found.value}${expr.slice(found.to)}`.trim(), threshold: found.threshold, direction: found.direction };
}

/** One `rate()` or `increase()` of a counter in an expression, with the aggregation around it. */
export interface CounterWindow {
  readonly selector: string;
  readonly range: string;
  /** `by (provider)` or `without (x)` of the nearest enclosing aggregation; empty when none. */
  readonly grouping: string;
  readonly aggregated: boolean;
}

/** The text of every series selector in `expr` (`x{job="api"}`, without any range), through the parser. */
export function vectorSelectors(expr: string): string[] {
  const found: string[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name === 'VectorSelector') found.push(expr.slice(ref.from, ref.to));
    },
  });
  return found;
}

/** Every rate() and increase() over a range selector, through the parser. */
export function counterWindows(expr: string): CounterWindow[] {
  const found: CounterWindow[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      const node = ref.node as unknown as Node;
      const fn = node.getChild('FunctionIdentifier')?.firstChild?.name;
      if (fn !== 'Rate' && fn !== 'Increase') return;
      const matrix = node.getChild('FunctionCallBody')?.getChild('MatrixSelector');
      const vector = matrix?.getChild('VectorSelector');
      const duration = matrix?.getChild('DurationExpr');
      if (!matrix || !vector || !duration) return;
      let aggregate: Node | null = node.parent;
      // A product with a number (as a compiled count is: `(increase(x[7s500ms])) * 40`) combines no series.
      const bySeries = (n: Node) => n.name === 'BinaryExpr' && !(n.getChild('Mul') && n.getChild('NumberDurationLiteral'));
      while (aggregate && aggregate.name !== 'AggregateExpr' && !bySeries(aggregate)) aggregate = aggregate.parent;
      const modifier = aggregate?.name === 'AggregateExpr' ? aggregate.getChild('AggregateModifier') : null;
      found.push({
        selector: expr.slice(vector.from, vector.to),
        range: expr.slice(duration.from, duration.to),
        grouping: modifier ? expr.slice(modifier.from, modifier.to) : '',
        aggregated: aggregate?.name === 'AggregateExpr',
      });
    },
  });
  return found;
}

/** A value as a literal inside a `=~` matcher (Prometheus' and Alertmanager's RE2): every metacharacter escaped. */
export function escapeRegexValue(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
