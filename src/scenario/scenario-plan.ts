import { parseDurationMs } from '../duration.ts';
import type { PlannedStream, ScenarioPlan } from './plan-types.ts';
import type { Scenario } from './define-scenario.ts';

export type { PlannedFaultCall, PlannedStream, ScenarioPlan } from './plan-types.ts';

const wallSeconds = (ruleTime: string, scale: number, where: string) => Math.round((parseDurationMs(ruleTime, where) / scale) * 1000) / 1e6;

export function planScenario(scenario: Scenario, scale: number): ScenarioPlan {
  const durationS = wallSeconds(scenario.duration, scale, `${scenario.name}: duration`);
  const streams = scenario.traffic.map((t, i): PlannedStream => {
    const stages = (t.ramp ?? []).map((stage, j) => ({ durationS: wallSeconds(stage.over, scale, `${scenario.name}: traffic[${i}].ramp[${j}].over`), targetRps: stage.rps }));
    const rampedS = stages.reduce((s, stage) => s + stage.durationS, 0);
    const finalRps = stages.at(-1)?.targetRps ?? t.rps;
    // k6 stops a ramping executor after its last stage; hold the final rate to the scenario's end.
    if (rampedS < durationS) stages.push({ durationS: Math.round((durationS - rampedS) * 1000) / 1000, targetRps: finalRps });
    return { name: `traffic_${i}`, service: t.service, startRps: t.rps, stages, requests: t.requests, ...(t.minOkRatio === undefined ? {} : { minOkRatio: t.minOkRatio }) };
  });
  const calls = scenario.faults.flatMap((step, i) => {
    const atS = wallSeconds(step.at, scale, `${scenario.name}: faults[${i}].at`);
    const endS = step.hold === undefined ? durationS : Math.min(durationS, atS + wallSeconds(step.hold, scale, `${scenario.name}: faults[${i}].hold`));
    const faultId = `${scenario.name}.${i}`;
    return [
      { action: 'inject' as const, atS, faultId, fault: step.fault, order: i },
      { action: 'revert' as const, atS: endS, faultId, fault: step.fault, order: -i - 1 }, // reverts first, newest first
    ];
  });
  calls.sort((a, b) => a.atS - b.atS || a.order - b.order);
  return {
    name: scenario.name,
    system: scenario.system,
    scale,
    durationS,
    streams,
    faultCalls: calls.map(({ order: _order, ...call }, i) => ({ name: `fault_${i}`, ...call })),
  };
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
