import { formatDurationMs } from '../duration.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';

/**
 * Why a traffic ratio may have fallen short in a compressed drill: a target killed or stopped comes
 * back some real time after its revert, and that time does not shrink with the scale. Names each
 * fault whose target was down past its revert, with that time in wall and in rule time; '' if none.
 */
export function recoveryNote(faults: readonly FaultRecord[], scale: number): string {
  const late = faults.flatMap((f) => {
    // A restart's own gap is planned; a kill or stop is meant to end at its revert.
    if ((f.spec.kind !== 'kill' && f.spec.kind !== 'stop') || f.downMs === undefined || f.revertedAtMs === null) return [];
    const pastRevertMs = f.downMs - (f.revertedAtMs - f.injectedAtMs);
    if (pastRevertMs <= 0) return [];
    const ruleTime = scale === 1 ? '' : `, ${formatDurationMs(pastRevertMs * scale)} of rule time at scale ${scale}`;
    return [`${f.spec.kind}(${f.spec.target}) came back ${(pastRevertMs / 1000).toFixed(1)}s after its revert (real time${ruleTime})`];
  });
  return late.length === 0 ? '' : `; ${late.join('; ')}: a start-up is real time at any scale, so give the hold room for it or lower minOkRatio`;
}
