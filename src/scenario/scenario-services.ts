import { parser } from '@prometheus-io/lezer-promql';
import type { CompiledSystem } from '../compile/compile-system.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import type { Scenario } from './define-scenario.ts';

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

/** Everything a scenario can disturb or is judged on: traffic, fault targets, and the services its alerts watch. */
export function servicesTouchedBy(scenario: Scenario, compiled: CompiledSystem): Set<string> {
  const touched = new Set<string>([...scenario.traffic.map((t) => t.service), ...scenario.faults.map((f) => f.fault.target)]);
  const alerts = new Set(scenario.expect.flatMap((e) => (e.kind === 'inhibitedBy' ? [e.alert, e.source] : [e.alert])));
  for (const rule of compiled.alerts) {
    if (alerts.has(rule.alertname)) for (const s of servicesWatchedBy(rule, compiled)) touched.add(s);
  }
  return touched;
}

/**
 * Splits scenarios into phases run one after another; the lanes of a phase run at the same time
 * on one stack. Scenarios that share a service are never in the same phase's different lanes.
 * First, alone and in order, the scenarios that touch every service; then one lane per group of
 * scenarios connected by shared services.
 */
export function planLanes<T extends { scenario: Scenario }>(items: readonly T[], compiled: CompiledSystem): T[][][] {
  const all = compiled.system.services.length;
  const touched = new Map(items.map((item) => [item, servicesTouchedBy(item.scenario, compiled)]));
  const solo = items.filter((item) => touched.get(item)!.size >= all);
  const rest = items.filter((item) => touched.get(item)!.size < all);
  const lanes: { services: Set<string>; items: T[] }[] = [];
  for (const item of rest) {
    const mine = touched.get(item)!;
    const joined = lanes.filter((lane) => [...mine].some((s) => lane.services.has(s)));
    const merged = { services: new Set([...mine, ...joined.flatMap((l) => [...l.services])]), items: [...joined.flatMap((l) => l.items), item] };
    for (const lane of joined) lanes.splice(lanes.indexOf(lane), 1);
    lanes.push(merged);
  }
  const order = new Map(items.map((item, i) => [item, i]));
  const phases = solo.map((item) => [[item]]);
  if (lanes.length > 0) phases.push(lanes.map((lane) => lane.items.sort((a, b) => order.get(a)! - order.get(b)!)));
  return phases;
}
