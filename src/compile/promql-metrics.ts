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

