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
          names.add(JSON.parse(expr.slice(value.from, value.to).replace(/^'(.*)'$/, '"$1"')) as string);
        }
      }
    },
  });
  return [...names].sort();
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
