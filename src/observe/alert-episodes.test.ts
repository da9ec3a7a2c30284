import { describe, expect, it } from 'vitest';
import { toEpisodes } from './alert-episodes.ts';

const E = 750;
const samples = (from: number, count: number, state: string) => Array.from({ length: count }, (_, i) => ({ atMs: from + i * E, state }));

describe('toEpisodes', () => {
  it('takes pending and firing times from the first samples and resolution from the next evaluation', () => {
    const episodes = toEpisodes([...samples(1_000, 4, 'pending'), ...samples(4_000, 3, 'firing')], E, 20_000);
    expect(episodes).toEqual([{ pendingAtMs: 1_000, firingAtMs: 4_000, beforeFiringAtMs: 3_250, resolvedAtMs: 6_250 }]);
  });

  it('splits episodes at a gap of more than 1.5 evaluation intervals', () => {
    const episodes = toEpisodes([...samples(0, 2, 'pending'), ...samples(5_000, 2, 'pending'), ...samples(6_500, 1, 'firing')], E, 20_000);
    expect(episodes).toEqual([
      { pendingAtMs: 0, firingAtMs: null, beforeFiringAtMs: null, resolvedAtMs: 1_500 },
      { pendingAtMs: 5_000, firingAtMs: 6_500, beforeFiringAtMs: 5_750, resolvedAtMs: 7_250 },
    ]);
  });

  it('does not end an episode at a missed evaluation: ALERTS_FOR_STATE shows the same activeAt across the gap (a busy machine)', () => {
    const active = (from: number, count: number, state: string, activeAtS: number) => samples(from, count, state).map((x) => ({ ...x, activeAtS }));
    const missed = [...active(0, 4, 'pending', 0), ...active(4_500, 3, 'firing', 0)]; // one evaluation (3_750) missed
    expect(toEpisodes(missed, E, 20_000)).toEqual([{ pendingAtMs: 0, firingAtMs: 4_500, beforeFiringAtMs: 2_250, resolvedAtMs: 6_750 }]);
    const realRestart = [...active(0, 4, 'pending', 0), ...active(4_500, 3, 'pending', 4)]; // activeAt moved: it did resolve
    expect(toEpisodes(realRestart, E, 20_000)).toHaveLength(2);
  });

  it('leaves an alert that is still active at query time unresolved', () => {
    expect(toEpisodes(samples(0, 10, 'firing'), E, 7_000)).toEqual([{ pendingAtMs: 0, firingAtMs: 0, beforeFiringAtMs: null, resolvedAtMs: null }]);
  });
});
