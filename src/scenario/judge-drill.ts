import type { CompiledSystem } from '../compile/compile-system.ts';
import { ruleOrFirst } from '../compile/rule-of-series.ts';
import { evaluateExpectations, traceFor } from '../expect/evaluate-expectations.ts';
import { alertsNamedBy } from '../expect/expectation.ts';
import { checkPower, isCountRule, type PowerCheck } from '../expect/statistical-power.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';
import { valueAndThreshold } from '../observe/promql-parts.ts';
import { ruleValueSeries, type ValueSeries } from '../observe/rule-value-series.ts';
import type { ExpectationResult, RuleValues } from '../report/run-result.ts';
import type { Scenario } from './define-scenario.ts';

export interface DrillJudgement {
  readonly expectations: ExpectationResult[];
  readonly power: PowerCheck[];
  readonly ruleValues: RuleValues[];
}

export interface DrillFacts {
  readonly scenario: Scenario;
  readonly compiled: CompiledSystem;
  readonly traces: readonly AlertTrace[];
  readonly faults: readonly FaultRecord[];
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly alertmanagerGap?: string;
}

/**
 * The verdicts of a drill, then what makes them readable and trustworthy: for every failed
 * verdict about an alert, its expression's value over the drill; for every judged rule, how many
 * events a window held (statistical power).
 */
export async function judgeDrill(prometheus: PrometheusClient, facts: DrillFacts): Promise<DrillJudgement> {
  const judged = evaluateExpectations({
    expectations: facts.scenario.expect,
    traces: facts.traces,
    faults: facts.faults,
    compiled: facts.compiled,
    endedAtMs: facts.endedAtMs,
    alertmanagerGap: facts.alertmanagerGap,
  });
  const firstFault = [...facts.faults].sort((a, b) => a.injectedAtMs - b.injectedAtMs)[0];
  const marks = { startMs: facts.startedAtMs, faultMs: firstFault?.injectedAtMs, revertMs: firstFault?.revertedAtMs ?? undefined, endMs: facts.endedAtMs };
  // One range query per alert and label set, shared by the report's graphs and the failed verdicts.
  const queried = new Map<string, Promise<ValueSeries>>();
  const valuesOf = (alert: string, labels: Record<string, string> | undefined): Promise<ValueSeries> | undefined => {
    const traceLabels = traceFor(facts.traces, alert, labels)?.labels ?? labels ?? {};
    const rule = ruleOrFirst(facts.compiled.alerts, alert, traceLabels);
    if (!rule) return undefined;
    const key = `${alert}\n${JSON.stringify(traceLabels)}`;
    if (!queried.has(key)) queried.set(key, ruleValueSeries(prometheus, rule, traceLabels, marks));
    return queried.get(key);
  };
  const ruleValues = await Promise.all(
    alertsNamedBy(facts.scenario.expect).flatMap((alert) => {
      const series = valuesOf(alert, facts.scenario.expect.find((e) => e.alert === alert)?.labels);
      return series ? [series.then((v): RuleValues => ({ alert, ...v }))] : [];
    }),
  );
  const expectations = await Promise.all(
    judged.map(async (result) => {
      const series = result.ok || !result.alert ? undefined : await valuesOf(result.alert, result.labels);
      return series ? { ...result, series } : result;
    }),
  );
  return { expectations, power: await powerOf(prometheus, facts, firstFault?.injectedAtMs), ruleValues };
}

/**
 * Every judged rule (named by an expectation other than toMayFire) that counts events. A rule that
 * fires on many events (`> threshold`) and is expected to fire is counted when it fired: the
 * window that made it. Any other is counted on healthy traffic, just before the first fault (or at
 * the end of a drill without faults): the population a ratio is taken of, or the events whose
 * absence (`== 0`, `< 2/s`) the rule watches for. A count rule of bad events judged only as not
 * firing is skipped: a healthy system is meant to count none of them.
 */
async function powerOf(prometheus: PrometheusClient, facts: DrillFacts, firstFaultMs: number | undefined): Promise<PowerCheck[]> {
  const judged = alertsNamedBy(facts.scenario.expect.filter((e) => e.kind !== 'mayFire'));
  const healthyAtMs = firstFaultMs ?? facts.endedAtMs;
  const checks = await Promise.all(
    judged.map(async (alert) => {
      const selector = facts.scenario.expect.find((e) => e.alert === alert)?.labels;
      const rule = ruleOrFirst(facts.compiled.alerts, alert, traceFor(facts.traces, alert, selector)?.labels ?? selector);
      if (!rule) return undefined;
      const onMany = valueAndThreshold(rule.scaledExpr).direction === 'above';
      const firesExpected = facts.scenario.expect.filter((e) => e.alert === alert && e.kind === 'fires');
      if (onMany && firesExpected.length === 0 && isCountRule(rule)) return undefined;
      const fired = onMany ? firesExpected.map((e) => traceFor(facts.traces, alert, e.labels)?.firingAt).find((t): t is string => typeof t === 'string') : undefined;
      return checkPower(prometheus, rule, facts.compiled.scale, fired ? Date.parse(fired) : healthyAtMs);
    }),
  );
  return checks.filter((c): c is PowerCheck => c !== undefined);
}
