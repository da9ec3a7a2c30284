import { parseDurationMs } from '../duration.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';
import type { PlannedStream, ScenarioPlan } from './plan-types.ts';
import type { Scenario } from './define-scenario.ts';
import type { PlanContext } from './plan-context.ts';

export type { PlannedFaultCall, PlannedStream, ScenarioPlan } from './plan-types.ts';

const wallSeconds = (ruleTime: string, scale: number, where: string) => Math.round((parseDurationMs(ruleTime, where) / scale) * 1000) / 1e6;

const round3 = (s: number) => Math.round(s * 1000) / 1000;

/**
 * The scenario on the wall clock at the context's scale: history first (healthy traffic at each
 * stream's starting rate), then the scenario's own timeline, its fault steps shifted by the history.
 */
export function planScenario(scenario: Scenario, context: PlanContext): ScenarioPlan {
  const { scale } = context;
  const historyS = round3(context.historyMs / scale / 1000);
  const durationS = round3(historyS + wallSeconds(scenario.duration, scale, `${scenario.name}: duration`));
  const streams = scenario.traffic.map((t, i): PlannedStream => {
    const ramp = (t.ramp ?? []).map((stage, j) => ({ durationS: wallSeconds(stage.over, scale, `${scenario.name}: traffic[${i}].ramp[${j}].over`), targetRps: stage.rps }));
    const stages = historyS > 0 ? [{ durationS: historyS, targetRps: t.rps }, ...ramp] : ramp;
    const rampedS = stages.reduce((s, stage) => s + stage.durationS, 0);
    const finalRps = stages.at(-1)?.targetRps ?? t.rps;
    // k6 stops a ramping executor after its last stage; hold the final rate to the scenario's end.
    if (rampedS < durationS) stages.push({ durationS: round3(durationS - rampedS), targetRps: finalRps });
    return { name: `traffic_${i}`, service: t.service, startRps: t.rps, stages, requests: t.requests, ...(t.minOkRatio === undefined ? {} : { minOkRatio: t.minOkRatio }) };
  });
  const calls = scenario.faults.flatMap((step, i) => {
    const atS = round3(historyS + wallSeconds(step.at, scale, `${scenario.name}: faults[${i}].at`));
    const endS = step.hold === undefined ? durationS : Math.min(durationS, round3(atS + wallSeconds(step.hold, scale, `${scenario.name}: faults[${i}].hold`)));
    const faultId = `${scenario.name}.${i}`;
    const fault = wallFault(step.fault, context, `${scenario.name}: faults[${i}].fault`);
    return [
      { action: 'inject' as const, atS, faultId, fault, order: i },
      { action: 'revert' as const, atS: endS, faultId, fault, order: -i - 1 }, // reverts first, newest first
    ];
  });
  calls.sort((a, b) => a.atS - b.atS || a.order - b.order);
  return {
    name: scenario.name,
    system: scenario.system,
    scale,
    historyS,
    durationS,
    streams,
    faultCalls: calls.map(({ order: _order, ...call }, i) => ({ name: `fault_${i}`, ...call })),
  };
}

/** A restart's gap (rule time, or the context's default) becomes `gapMs` of wall time for the fault controller. */
function wallFault(fault: FaultSpec, context: PlanContext, where: string): FaultSpec {
  if (fault.kind !== 'restart') return fault;
  const gap = fault.params?.gap;
  const gapMs = typeof gap === 'string' ? parseDurationMs(gap, `${where}.params.gap`) : context.restartGapMs(fault.target);
  return { target: fault.target, kind: 'restart', params: { gapMs: Math.round(gapMs / context.scale) } };
}

/** Arrival rate of a planned stream `tS` wall seconds in. */
export function rateAt(stream: PlannedStream, tS: number): number {
  let from = stream.startRps;
  let elapsed = tS;
  for (const stage of stream.stages) {
    if (elapsed <= stage.durationS) return stage.durationS === 0 ? stage.targetRps : from + ((stage.targetRps - from) * elapsed) / stage.durationS;
    elapsed -= stage.durationS;
    from = stage.targetRps;
  }
  return from;
}

/** Arrivals due by `tS`: the integral of the piecewise-linear rate. */
export function arrivalsBy(stream: PlannedStream, tS: number): number {
  let from = stream.startRps;
  let remaining = tS;
  let total = 0;
  for (const stage of stream.stages) {
    const span = Math.min(remaining, stage.durationS);
    const to = stage.durationS === 0 ? stage.targetRps : from + ((stage.targetRps - from) * span) / stage.durationS;
    total += ((from + to) / 2) * span;
    remaining -= span;
    if (remaining <= 0) return total;
    from = stage.targetRps;
  }
  return total + from * remaining;
}
