import type { FaultEndpoint } from '../faults/play-fault-calls.ts';
import type { ScenarioPlan } from '../scenario/scenario-plan.ts';
import type { LiveTraffic, TrafficSummary } from './traffic.ts';

/** Where a plan's traffic and fault calls go; every URL is on 127.0.0.1. */
export interface DrillTargets {
  readonly serviceUrls: Readonly<Record<string, string>>;
  readonly faults: FaultEndpoint;
}

export interface DrillRunOptions {
  readonly signal: AbortSignal;
  /** Kept current while the plan runs. */
  readonly live: LiveTraffic;
}

/**
 * Executes a scenario plan: its traffic streams and its fault calls, on the wall clock.
 * Both engines send the same fault-controller requests and report the same summary shape.
 */
export interface DrillEngine {
  readonly name: 'builtin' | 'k6';
  run(plan: ScenarioPlan, targets: DrillTargets, options: DrillRunOptions): Promise<TrafficSummary>;
}
