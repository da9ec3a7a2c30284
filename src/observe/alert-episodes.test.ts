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

  it('splits at a gap with the same activeAt second when the firing came exactly for after the sample past it: a brief inactivity, not a missed evaluation', () => {
    // Evaluated every 375 ms, for 7.5 s. Pending at 0, inactive at 375, active again at 750 within
    // the same wall second (ALERTS_FOR_STATE holds whole seconds), firing 7.5 s after 750.
    const I = 375;
    const FOR = 7_500;
    const at = (from: number, to: number, state: string) => Array.from({ length: Math.round((to - from) / I) + 1 }, (_, k) => ({ atMs: from + k * I, state, activeAtS: 100 }));
    const flicker = [...at(0, 0, 'pending'), ...at(750, 7_875, 'pending'), ...at(8_250, 9_000, 'firing')];
    expect(toEpisodes(flicker, I, 9_000 + 10 * I, FOR)).toEqual([
      { pendingAtMs: 0, firingAtMs: null, beforeFiringAtMs: null, resolvedAtMs: 375 },
      { pendingAtMs: 750, firingAtMs: 8_250, beforeFiringAtMs: 7_875, resolvedAtMs: 9_375 },
    ]);
    // Without the rule's for, as before: one episode from the first sample.
    expect(toEpisodes(flicker, I, 9_000 + 10 * I)).toHaveLength(1);
    // A missed evaluation: it fired exactly for after the first sample; one episode.
    const missed = [...at(0, 0, 'pending'), ...at(750, 7_125, 'pending'), ...at(7_500, 9_000, 'firing')];
    expect(toEpisodes(missed, I, 9_000 + 10 * I, FOR)).toEqual([{ pendingAtMs: 0, firingAtMs: 7_500, beforeFiringAtMs: 7_125, resolvedAtMs: 9_375 }]);
    // Late from both: no split, and the lateness stays for the verdict to see.
    const late = [...at(0, 0, 'pending'), ...at(750, 8_250, 'pending'), ...at(8_625, 9_000, 'firing')];
    expect(toEpisodes(late, I, 9_000 + 10 * I, FOR)).toHaveLength(1);
  });

  it('leaves an alert unresolved whose samples stop before the query while the alerts API still shows it active since then (evaluations missed at the end)', () => {
    const gapAtEnd = samples(0, 10, 'firing'); // last sample at 6_750, queried 3 intervals later
    expect(toEpisodes(gapAtEnd, E, 9_000)[0]!.resolvedAtMs).toBe(7_500);
    expect(toEpisodes(gapAtEnd, E, 9_000, undefined, 0)[0]!.resolvedAtMs).toBeNull();
    // Active again since after the last sample: a new activation, the episode did end.
    expect(toEpisodes(gapAtEnd, E, 9_000, undefined, 8_250)[0]!.resolvedAtMs).toBe(7_500);
  });

  it('leaves an alert that is still active at query time unresolved', () => {
    expect(toEpisodes(samples(0, 10, 'firing'), E, 7_000)).toEqual([{ pendingAtMs: 0, firingAtMs: 0, beforeFiringAtMs: null, resolvedAtMs: null }]);
  });
});
