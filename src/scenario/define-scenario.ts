import type { TrafficStream } from '../engine/traffic.ts';
import type { Expectation } from '../expect/expectation.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';

/** A fault injected at `at` and reverted after `hold` (rule time; default: at the scenario's end). */
export interface FaultStep {
  readonly at: string;
  readonly hold?: string;
  readonly fault: FaultSpec;
}

/** A fire drill: traffic, a fault timeline in rule time, and what must happen to the alerts. */
export interface Scenario {
  readonly name: string;
  readonly system: string;
  readonly description?: string;
  /** Length of the timeline in rule time; traffic runs for all of it. */
  readonly duration: string;
  readonly traffic: readonly TrafficStream[];
  readonly faults: readonly FaultStep[];
  readonly expect: readonly Expectation[];
}

/**
 * Typed identity for a scenario file's default export.
 * @example export default defineScenario({ name: 'api-outage', system: 'piyasa', duration: '10m', traffic: [...], faults: [...], expect: [...] })
 */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
