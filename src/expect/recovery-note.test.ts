import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../faults/fault-controller.ts';
import { recoveryNote } from './recovery-note.ts';

const fault = (kind: string, injectedAtMs: number, revertedAtMs: number | null, downMs?: number, gapMs?: number): FaultRecord => ({
  id: '1',
  spec: { target: 'backend', kind, ...(gapMs === undefined ? {} : { params: { gapMs } }) },
  injectedAtMs,
  revertedAtMs,
  driver: 'process',
  ...(downMs === undefined ? {} : { downMs }),
});
const ADVICE = 'give the hold room for it';

describe('recoveryNote', () => {
  it('names a killed target that came back after its revert, in wall and rule time, then the advice', () => {
    expect(recoveryNote([fault('kill', 1_000, 7_000, 10_200)], 40, ADVICE)).toBe(
      '; kill(backend) came back 4.2s after its revert (real time, 2m48s of rule time at scale 40): a start-up is real time at any scale, so give the hold room for it',
    );
  });

  it('names a restart that kept its target down past its gap', () => {
    // The CI case: a worker container restarted with a 0.5 s gap (20 s of rule time) was down 4.1 s.
    expect(recoveryNote([fault('restart', 1_000, 1_000, 4_109, 500)], 40, ADVICE)).toBe(
      '; restart(backend) came back 3.6s after its gap (real time, 2m24s of rule time at scale 40): a start-up is real time at any scale, so give the hold room for it',
    );
  });

  it('says nothing of a target back by its plan, of faults without a down time, or of a kill not yet reverted', () => {
    expect(recoveryNote([fault('kill', 1_000, 7_000, 6_000), fault('pause', 1_000, 7_000), fault('restart', 1_000, 1_000, 400, 500), fault('stop', 1_000, null, 9_000)], 40, ADVICE)).toBe('');
  });

  it('gives no rule time at scale 1', () => {
    expect(recoveryNote([fault('stop', 0, 60_000, 62_500)], 1, ADVICE)).toBe(
      '; stop(backend) came back 2.5s after its revert (real time): a start-up is real time at any scale, so give the hold room for it',
    );
  });
});
