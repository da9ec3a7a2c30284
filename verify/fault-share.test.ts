// The fixtures' fault ratios are spread evenly, not drawn at random, so a drill whose ratio sits
// between two thresholds (llm-errors: 40% between 15% and 50%) cannot cross one by chance.
import { describe, expect, it } from 'vitest';
import { FaultState } from '../fixtures/piyasa/services/service-kit.ts';

describe('FaultState.hits', () => {
  it('hits exactly the share over any window, to one event', () => {
    const faults = new FaultState(new Map([['llm_failure', {}]]));
    const events = Array.from({ length: 1000 }, () => faults.hits('llm_failure', 0.4, 'gemini'));
    expect(events.filter(Boolean)).toHaveLength(400);
    for (let start = 0; start + 50 <= events.length; start++) {
      const inWindow = events.slice(start, start + 50).filter(Boolean).length;
      expect(Math.abs(inWindow - 20), `events ${start}..${start + 49}`).toBeLessThanOrEqual(1);
    }
  });

  it('keeps a tally per stream, hits always at 1 and never at 0', () => {
    const faults = new FaultState(new Map([['x', {}]]));
    expect([faults.hits('x', 0.5, 'a'), faults.hits('x', 0.5, 'b'), faults.hits('x', 0.5, 'a')]).toEqual([false, false, true]);
    expect(Array.from({ length: 5 }, () => faults.hits('x', 1))).toEqual([true, true, true, true, true]);
    expect(Array.from({ length: 5 }, () => faults.hits('x', 0, 'c'))).toEqual([false, false, false, false, false]);
  });
});
