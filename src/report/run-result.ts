import type { TrafficSummary } from '../engine/traffic.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { Expectation } from '../expect/expectation.ts';

/** The result JSON written by `--json FILE` (see DESIGN.md); extra fields may be added, none removed. */
export interface RunResult {
  ok: boolean;
  scale: number;
  stack: string;
  engine: string;
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  /** Wall seconds from stack start to ready. */
  stackReadySeconds: number;
  scenarios: ScenarioResult[];
}

export interface ExpectationResult {
  description: string;
  ok: boolean;
  detail: string;
  /** Which expectation this is; absent for traffic thresholds. */
  kind?: Expectation['kind'];
  alert?: string;
  labels?: Record<string, string>;
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  startedAt: string;
  endedAt: string;
  traffic: TrafficSummary;
  faults: { target: string; kind: string; injectedAt: string; revertedAt: string | null }[];
  alerts: AlertTrace[];
  expectations: ExpectationResult[];
}

/** Every expectation that did not hold, with the scenario it belongs to, in run order. */
export function failedExpectations(run: Pick<RunResult, 'scenarios'>): (ExpectationResult & { scenario: string })[] {
  return run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => ({ ...e, scenario: s.name })));
}
