// Types only, no runtime imports: the k6 runtime (ES2017, no Node) type-checks against them.
import type { RequestSpec } from '../engine/traffic.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';

/** A stream on the wall clock: k6's ramping-arrival-rate model (start rate, then linear stages). */
export interface PlannedStream {
  /** k6 scenario name and the `stream` of thresholds: traffic_<index>. */
  readonly name: string;
  readonly service: string;
  readonly startRps: number;
  readonly stages: readonly { readonly durationS: number; readonly targetRps: number }[];
  readonly requests: readonly RequestSpec[];
  readonly minOkRatio?: number;
}

/** One call to the fault controller at a wall-clock offset. Inject and revert share the fault's id. */
export interface PlannedFaultCall {
  /** k6 scenario name: fault_<index>. */
  readonly name: string;
  readonly action: 'inject' | 'revert';
  readonly atS: number;
  readonly faultId: string;
  readonly fault: FaultSpec;
}

/**
 * A scenario compiled to wall time at one scale: what both engines execute. It is plain JSON,
 * so a k6 script can carry it verbatim.
 */
export interface ScenarioPlan {
  readonly name: string;
  readonly system: string;
  readonly scale: number;
  /** Healthy traffic before the scenario's own timeline (its `at` times count from here). */
  readonly historyS: number;
  /** History plus the scenario's duration. */
  readonly durationS: number;
  readonly streams: readonly PlannedStream[];
  /** In the order to play them: by time, reverts before injects at the same instant. */
  readonly faultCalls: readonly PlannedFaultCall[];
}
