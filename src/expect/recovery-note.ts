import { formatDurationMs } from '../duration.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';

/**
 * Why a verdict may differ from production's in a compressed drill: a target killed, stopped or
 * restarted comes back some real time after its plan said, and that time does not shrink with the
 * scale. Names each fault whose target was down past its plan (a kill or stop: its revert; a
 * restart: its gap), with that time in wall and in rule time, then `advice`; '' if none.
 */
export function recoveryNote(faults: readonly FaultRecord[], scale: number, advice: string): string {
  const late = faults.flatMap((f) => {
    const plannedMs = plannedDownMs(f);
    if (f.downMs === undefined || plannedMs === undefined) return [];
    const pastPlanMs = f.downMs - plannedMs;
    if (pastPlanMs <= 0) return [];
    const ruleTime = scale === 1 ? '' : `, ${formatDurationMs(Math.round((pastPlanMs * scale) / 1000) * 1000)} of rule time at scale ${scale}`;
    const after = f.spec.kind === 'restart' ? 'its gap' : 'its revert';
    return [`${f.spec.kind}(${f.spec.target}) came back ${(pastPlanMs / 1000).toFixed(1)}s after ${after} (real time${ruleTime})`];
  });
  return late.length === 0 ? '' : `; ${late.join('; ')}: a start-up is real time at any scale, so ${advice}`;
}

/** How long the plan meant the target to be down, wall ms: a restart's gap, a kill's or stop's hold. */
export function plannedDownMs(f: FaultRecord): number | undefined {
  if (f.spec.kind === 'restart') return Number(f.spec.params?.gapMs ?? 0);
  if (f.spec.kind === 'kill' || f.spec.kind === 'stop') return f.revertedAtMs === null ? undefined : f.revertedAtMs - f.injectedAtMs;
  return undefined;
}
