// Results for the report's tests: a drill's result holding only what a test gives it.
import { at } from '../expect/test-traces.ts';
import type { ScenarioResult } from './run-result.ts';

/** A 30 s drill that failed, sent no traffic and saw nothing, unless `overrides` says otherwise. */
export function drillResult(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'llm-errors',
    ok: false,
    historySeconds: 6,
    startedAt: at(0),
    endedAt: at(30),
    traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
    faults: [],
    alerts: [],
    expectations: [],
    power: [],
    ...overrides,
  };
}
