import type { FaultRecord } from './fault-controller.ts';

/** The fault an alert is attributed to: the latest one injected at or before it went pending. */
export function causingFault(faults: readonly FaultRecord[], pendingAtMs: number | null): FaultRecord | undefined {
  if (pendingAtMs === null) return undefined;
  return faults.filter((f) => f.injectedAtMs <= pendingAtMs).reduce<FaultRecord | undefined>((latest, f) => (latest && latest.injectedAtMs >= f.injectedAtMs ? latest : f), undefined);
}
