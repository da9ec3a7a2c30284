import type { FaultSpec } from './fault-spec.ts';

/** The families of fault drivers. */
export type FaultDriverName = 'process' | 'service-endpoint' | 'dependency-proxy' | 'scrape-path' | 'host' | 'container' | 'remote-controller';

/** A fault as the controller hands it to a driver: the spec and the run's id for it. */
export interface DriverFault {
  readonly id: string;
  readonly spec: FaultSpec;
}

/** What a driver learned while applying or reverting, for the record. */
export interface FaultOutcome {
  /** For process faults: wall milliseconds the target was really unreachable (start-up is never scaled). */
  readonly downMs?: number;
}

/**
 * Carries out one family of fault kinds on the parts of a running stack. Every fault it injects it
 * can revert, by id, leaving the others in force; the controller reverts all on every exit path.
 */
export interface FaultDriver {
  readonly name: FaultDriverName;
  /** Resolves once the fault is in force. */
  inject(fault: DriverFault): Promise<FaultOutcome | void>;
  /** Resolves once the fault no longer acts; `injectedAtMs` is when it was injected. */
  revert(fault: DriverFault, injectedAtMs: number): Promise<FaultOutcome | void>;
}
