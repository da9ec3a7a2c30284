import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../faults/fault-controller.ts';
import { recoveryNote } from './recovery-note.ts';

const fault = (kind: string, injectedAtMs: number, revertedAtMs: number | null, downMs?: number): FaultRecord => ({
  id: '1',
  spec: { target: 'backend', kind },
  injectedAtMs,
  revertedAtMs,
  driver: 'process',
  ...(downMs === undefined ? {} : { downMs }),
});

describe('recoveryNote', () => {
  it('names a killed target that came back after its revert, in wall and rule time', () => {
    expect(recoveryNote([fault('kill', 1_000, 7_000, 10_200)], 40)).toBe(
      '; kill(backend) came back 4.2s after its revert (real time, 2m48s of rule time at scale 40): a start-up is real time at any scale, so give the hold room for it or lower minOkRatio',
    );
  });

  it('says nothing of a target back by its revert, of faults without a down time, or of a restart', () => {
    expect(recoveryNote([fault('kill', 1_000, 7_000, 6_000), fault('pause', 1_000, 7_000), fault('restart', 1_000, 1_000, 3_000), fault('stop', 1_000, null)], 40)).toBe('');
  });

  it('gives no rule time at scale 1', () => {
    expect(recoveryNote([fault('stop', 0, 60_000, 62_500)], 1)).toBe(
      '; stop(backend) came back 2.5s after its revert (real time): a start-up is real time at any scale, so give the hold room for it or lower minOkRatio',
    );
  });
});
