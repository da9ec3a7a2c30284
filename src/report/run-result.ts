import type { TrafficSummary } from '../engine/traffic.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { Expectation } from '../expect/expectation.ts';
import type { Shard } from '../scenario/shard.ts';
import type { StackCost } from '../stack/pool-capacity.ts';

/** The result JSON written by `--json FILE` (see DESIGN.md); extra fields may be added, none removed. */
export interface RunResult {
  ok: boolean;
  scale: number;
  stack: string;
  engine: string;
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  /** Wall seconds from stack start to ready: the slowest stack of the run. */
  stackReadySeconds: number;
  /** Present when the run was one shard of several (`--shard i/n`). */
  shard?: Shard;
  /** The pool of isolated stacks the scenarios ran on. */
  pool?: PoolSummary;
  scenarios: ScenarioResult[];
}

export interface PoolSummary {
  /** Stacks allowed at once. */
  jobs: number;
  /** Stacks started. */
  stacks: number;
  wallSeconds: number;
  /** CPU seconds of every stack process plus firedrill's own. */
  cpuSeconds: number;
  /** Per stack while its drill ran; null when no stack finished. */
  measuredStackCost: StackCost | null;
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
  /** The system the scenario drills. */
  system?: string;
  ok: boolean;
  /** The scale of the scenario's system (systems may compile to different scales). */
  scale?: number;
  /** Wall seconds from the start of the scenario's own stack to ready. */
  stackReadySeconds?: number;
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
