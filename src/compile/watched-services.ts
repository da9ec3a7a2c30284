import { parser } from '@prometheus-io/lezer-promql';
import type { CompiledSystem } from './compile-system.ts';
import type { CompiledRule } from './rule-files.ts';

/**
 * The services an alert watches, from the `job` matchers of its parsed PromQL. An expression
 * without one could watch any service, so it counts as watching all of them.
 */
export function servicesWatchedBy(rule: CompiledRule, compiled: CompiledSystem): string[] {
  const matchers: { op: string; value: string }[] = [];
  parser.parse(rule.expr).iterate({
    enter(node) {
      if (node.name !== 'UnquotedLabelMatcher') return;
      const name = node.node.getChild('LabelName');
      const op = node.node.getChild('MatchOp');
      const value = node.node.getChild('StringLiteral');
      if (name && op && value && rule.expr.slice(name.from, name.to) === 'job') {
        matchers.push({ op: rule.expr.slice(op.from, op.to), value: JSON.parse(rule.expr.slice(value.from, value.to).replace(/^'(.*)'$/, '"$1"')) as string });
      }
    },
  });
  const services = compiled.system.services;
  const positive = matchers.filter((m) => m.op === '=' || m.op === '=~');
  if (positive.length === 0) return services.map((s) => s.name);
  return services
    .filter((s) => positive.some((m) => (m.op === '=' ? s.job === m.value : new RegExp(`^(?:${m.value})$`).test(s.job))))
    .map((s) => s.name);
}
