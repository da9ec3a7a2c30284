import { parseDurationMs } from '../duration.ts';
import type { Scenario } from '../scenario/define-scenario.ts';
import { levelAt, modelSchedule, type TrafficModel } from './traffic-model.ts';

/** The live model follows the curve in linear stages this long (model time). */
export const LIVE_STAGE_MS = 5 * 60_000;

/**
 * The model from `startMs` for `spanMs` (model time) as a scenario, so that either engine plays it
 * like a drill: every stream of the mean traffic follows the curve and its bursts in 5-minute
 * stages, and each incident the schedule places in the span injects its drill's faults.
 */
export function liveScenario(model: TrafficModel, startMs: number, spanMs: number): Scenario {
  const schedule = modelSchedule(model, startMs, startMs + spanMs);
  const stages = Math.max(1, Math.ceil(spanMs / LIVE_STAGE_MS));
  const factorAt = (stage: number) => levelAt(schedule, startMs + Math.min(stage * LIVE_STAGE_MS, spanMs));
  const round = (rps: number) => Math.round(rps * 100) / 100;
  const traffic = model.streams.map((stream) => ({
    ...stream,
    rps: round(stream.rps * factorAt(0)),
    ramp: Array.from({ length: stages }, (_, i) => ({ over: `${Math.min(LIVE_STAGE_MS, spanMs - i * LIVE_STAGE_MS)}ms`, rps: round(stream.rps * factorAt(i + 1)) })),
  }));
  const faults = schedule.incidents
    .filter((placed) => placed.startMs >= startMs)
    .flatMap((placed) =>
      placed.what.faults.flatMap((step) => {
        const atMs = placed.startMs - startMs + parseDurationMs(step.at, `${placed.what.scenario}: at`);
        if (atMs >= spanMs) return [];
        const holdMs = step.hold === undefined ? placed.what.durationMs : parseDurationMs(step.hold, `${placed.what.scenario}: hold`);
        return [{ ...step, at: `${atMs}ms`, hold: `${Math.min(holdMs, spanMs - atMs)}ms` }];
      }),
    );
  return { name: `populate-${model.system}`, system: model.system, description: `the traffic model of ${model.system} (mean traffic from ${model.baseline})`, duration: `${spanMs}ms`, traffic, faults, expect: [] };
}
