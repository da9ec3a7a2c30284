import type { CompiledSystem } from '../compile/compile-system.ts';
import { formatDurationMs } from '../duration.ts';
import { describeExpectation } from '../expect/expectation.ts';
import { describeFault } from '../faults/fault-spec.ts';
import type { LoadedScenario } from '../scenario/load-scenarios.ts';
import { planContextFor } from '../scenario/plan-context.ts';
import { planScenario } from '../scenario/scenario-plan.ts';
import { settleDeadlineMs } from '../scenario/settle-deadline.ts';
import { trimSlash } from '../observe/http-json.ts';
import { externalOf } from '../stack/external/external-stack.ts';

export interface GameDayPlanInput {
  readonly drills: readonly LoadedScenario[];
  readonly compiled: ReadonlyMap<string, CompiledSystem>;
  readonly silence: boolean;
  readonly journalFile: string;
}

/** Wall milliseconds a drill may take at most: its timeline, then the longest settle its alerts may need. */
export function drillBoundMs(drill: LoadedScenario, compiled: CompiledSystem): number {
  const plan = planScenario(drill.scenario, planContextFor(drill.scenario, compiled));
  return plan.durationS * 1000 + settleDeadlineMs(compiled, drill.scenario.expect.map((e) => e.alert));
}

/**
 * What a game day will do, for the people who must agree to it: where it points, every drill's
 * traffic, faults and expectations with their times, what stops it, whether receivers will be
 * paged, and where the revert journal is.
 */
export function describeGameDayPlan(input: GameDayPlanInput): string {
  const lines: string[] = [];
  const systems = [...new Set(input.drills.map((d) => d.scenario.system))];
  for (const name of systems) {
    const compiled = input.compiled.get(name)!;
    const external = externalOf(compiled);
    const inhibitions = Array.isArray(compiled.alertmanager.doc.inhibit_rules) ? compiled.alertmanager.doc.inhibit_rules.length : 0;
    lines.push(`game day on system ${name}, in real time (scale 1), on a stack firedrill did not start:`);
    lines.push(`  Prometheus    ${trimSlash(external.prometheus)}  (${compiled.alerts.length} alerting rules read from it)`);
    lines.push(`  Alertmanager  ${trimSlash(external.alertmanager)}  (routes and ${inhibitions} inhibit rule${inhibitions === 1 ? '' : 's'} read from it)`);
    if (external.faults) lines.push(`  faults via    ${trimSlash(external.faults.controller)}  (token in $${external.faults.tokenEnv})`);
    lines.push(`  allowed       ${external.allow.join(', ')}`);
    const guards = (external.abortWhen ?? []).map((g) => `${g.name} (${g.expr})`);
    lines.push(`  abort when    ${[...guards, `a drill runs longer than ${external.maxDuration ?? '30m'}`].join('; or ')}`);
  }
  for (const drill of input.drills) {
    const compiled = input.compiled.get(drill.scenario.system)!;
    const external = externalOf(compiled);
    const plan = planScenario(drill.scenario, planContextFor(drill.scenario, compiled));
    lines.push(`drill ${drill.scenario.name}: up to ${formatDurationMs(drillBoundMs(drill, compiled))} (healthy history ${formatDurationMs(plan.historyS * 1000)}, timeline ${formatDurationMs((plan.durationS - plan.historyS) * 1000)}, then settling)`);
    for (const s of plan.streams) lines.push(`  traffic  ${s.service} at ${external.services[s.service]}: ${s.startRps} requests/s${s.stages.length > 1 ? ', ramping' : ''}`);
    for (const call of plan.faultCalls) lines.push(`  ${call.action === 'inject' ? 'fault ' : 'revert'}   at ${formatDurationMs(call.atS * 1000)}: ${describeFault(call.fault)}`);
    for (const e of drill.scenario.expect) lines.push(`  expect   ${describeExpectation(e)}`);
  }
  const silenced = [...new Set(input.drills.flatMap((d) => input.compiled.get(d.scenario.system)!.alerts.map((a) => a.alertname)))];
  lines.push(
    input.silence
      ? `silences: alertname=~"${silenced.join('|')}" (every alert of the stack's rules) on the whole Alertmanager while each drill runs, removed after: routed, not delivered; nobody is paged for these alerts, whatever fires them`
      : 'silences: none; the receivers WILL be notified (pass --silence to keep them quiet)',
  );
  lines.push(`revert journal: ${input.journalFile} (after a crash: firedrill revert)`);
  return lines.join('\n');
}
