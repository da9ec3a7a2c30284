import { describe, expect, it } from 'vitest';
import { toEpisodes } from './alert-episodes.ts';

const E = 750;
const samples = (from: number, count: number, state: string) => Array.from({ length: count }, (_, i) => ({ atMs: from + i * E, state }));

describe('toEpisodes', () => {
  it('takes pending and firing times from the first samples and resolution from the next evaluation', () => {
    const episodes = toEpisodes([...samples(1_000, 4, 'pending'), ...samples(4_000, 3, 'firing')], E, 20_000);
    expect(episodes).toEqual([{ pendingAtMs: 1_000, firingAtMs: 4_000, resolvedAtMs: 6_250 }]);
  });

  it('splits episodes at a gap of more than 1.5 evaluation intervals', () => {
    const episodes = toEpisodes([...samples(0, 2, 'pending'), ...samples(5_000, 2, 'pending'), ...samples(6_500, 1, 'firing')], E, 20_000);
    expect(episodes).toEqual([
      { pendingAtMs: 0, firingAtMs: null, resolvedAtMs: 1_500 },
      { pendingAtMs: 5_000, firingAtMs: 6_500, resolvedAtMs: 7_250 },
    ]);
  });

  it('leaves an alert that is still active at query time unresolved', () => {
    expect(toEpisodes(samples(0, 10, 'firing'), E, 7_000)).toEqual([{ pendingAtMs: 0, firingAtMs: 0, resolvedAtMs: null }]);
  });
});
