import type { Options, Scenario as K6Scenario } from 'k6/options';
import { okRatioThreshold } from '../engine/traffic.ts';
import { FAULT_CALL_TIMEOUT_MS } from '../faults/play-fault-calls.ts';
import type { PlannedStream, ScenarioPlan } from '../scenario/scenario-plan.ts';

/** Per-request timeout in k6, as in the builtin engine: a hung service shows as status 0. */
export const K6_REQUEST_TIMEOUT_S = 5;
const TREND_STATS = ['med', 'p(95)', 'p(99)'];

const ms = (seconds: number) => `${Math.round(seconds * 1000)}ms`;

/**
 * k6 `options` for a plan: one ramping-arrival-rate scenario per traffic stream and one
 * single-iteration scenario per fault call, started at its wall-clock offset.
 */
export function k6Options(plan: ScenarioPlan): Options {
  const scenarios: Record<string, K6Scenario> = {};
  for (const stream of plan.streams) scenarios[stream.name] = trafficScenario(stream);
  for (const call of plan.faultCalls) {
    scenarios[call.name] = {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: ms(call.atS),
      maxDuration: ms(FAULT_CALL_TIMEOUT_MS / 1000 + 5),
      gracefulStop: ms(FAULT_CALL_TIMEOUT_MS / 1000),
      exec: 'faultCall',
    };
  }
  // Holds the run open for the whole timeline, also when no traffic stream does.
  scenarios.clock = { executor: 'constant-vus', vus: 1, duration: ms(plan.durationS), gracefulStop: '0s', exec: 'clock' };
  const thresholds: Record<string, string[]> = {};
  for (const stream of plan.streams) {
    if (stream.minOkRatio !== undefined) thresholds[`checks{scenario:${stream.name}}`] = [okRatioThreshold(stream.minOkRatio)];
  }
  return {
    scenarios,
    thresholds,
    summaryTrendStats: TREND_STATS,
    setupTimeout: '30s',
    teardownTimeout: ms((FAULT_CALL_TIMEOUT_MS / 1000) * Math.max(1, plan.faultCalls.length / 2)),
  };
}

function trafficScenario(stream: PlannedStream): K6Scenario {
  const rates = [stream.startRps, ...stream.stages.map((s) => s.targetRps)];
  // k6 rates are whole iterations per timeUnit: stretch the unit until every rate is whole.
  const unitS = [1, 10, 100, 1000].find((u) => rates.every((r) => Number.isInteger(Math.round(r * u * 1e6) / 1e6))) ?? 1000;
  const peak = Math.max(...rates);
  return {
    executor: 'ramping-arrival-rate',
    startRate: Math.round(stream.startRps * unitS),
    timeUnit: `${unitS}s`,
    stages: stream.stages.map((s) => ({ target: Math.round(s.targetRps * unitS), duration: ms(s.durationS) })),
    // Open model: enough VUs for every request of one timeout window to be in flight.
    preAllocatedVUs: Math.ceil(peak) + 5,
    maxVUs: Math.ceil(peak * K6_REQUEST_TIMEOUT_S) + 10,
    gracefulStop: ms(K6_REQUEST_TIMEOUT_S),
    exec: 'traffic',
  };
}
