import type { FaultSpec } from './fault-spec.ts';

/**
 * Real time that a delay fault keeps slow requests in flight (and unobserved) after it is injected
 * or reverted: the added latency of a cooperating service's requests, or one round trip (both
 * ways, jitter included) through a dependency proxy. A request making several round trips takes
 * longer still: say so with `detectWithin`. 0 for a fault that adds no delay.
 */
export function inFlightDelayMs(fault: FaultSpec, throughDependencyProxy: boolean): number {
  const ms = Number(fault.params?.ms ?? 0) + Number(fault.params?.jitterMs ?? 0);
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return throughDependencyProxy ? 2 * ms : ms;
}
