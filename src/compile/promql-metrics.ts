import { parser } from '@prometheus-io/lezer-promql';

/**
 * Metric names an expression selects, read from the parsed PromQL: each vector selector's
 * metric identifier and any `__name__="..."` matcher. Function and label names are not metrics.
 */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(expr.slice(node.from, node.to));
      if (node.name === 'UnquotedLabelMatcher') {
        const name = node.node.getChild('LabelName');
        const op = node.node.getChild('MatchOp');
        const value = node.node.getChild('StringLiteral');
        if (name && value && op && expr.slice(name.from, name.to) === '__name__' && expr.slice(op.from, op.to) === '=') {
          names.add(stringLiteralValue(expr.slice(value.from, value.to)));
        }
      }
    },
  });
  return [...names].sort();
}


/**
 * The value of a PromQL string literal: a raw `...` string as it stands; a quoted one unescaped
 * where JSON's escapes agree with Go's, else as written between its quotes (a Go-only escape such
 * as `\x70` in a metric name is rare enough not to need the whole of Go's syntax).
 */
function stringLiteralValue(literal: string): string {
  const inner = literal.slice(1, -1);
  if (literal.startsWith('`')) return inner;
  try {
    return JSON.parse(`"${literal.startsWith("'") ? inner.replace(/\\'/g, "'").replace(/"/g, '\\"') : inner}"`) as string;
  } catch {
    return inner;
  }
}

/** Series firedrill cannot name from the expression: Prometheus' own alert series, or a selector with no metric name (`{__name__=~"job:.*"}`). */
const OWN_SERIES = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/**
 * Whether the expression reads series whose origin its metric names do not tell: a selector without
 * a metric name, or the `ALERTS` series of other rules. What such series carry could come from any rule.
 */
export function readsUnnamedSeries(expr: string): boolean {
  let unnamed = false;
  parser.parse(expr).iterate({
    enter(node) {
      if (unnamed) return false;
      if (node.name !== 'VectorSelector') return;
      const names = metricNamesIn(expr.slice(node.from, node.to));
      if (names.length === 0 || names.some((name) => OWN_SERIES.has(name))) unnamed = true;
      return false;
    },
  });
  return unnamed;
}
