import { describe, expect, it } from 'vitest';
import type { ScenarioProgress } from '../scenario/run-scenario.ts';
import { LiveProgress } from './live-progress.ts';

/** A stderr stand-in that records what is written; `isTTY` picks the mode as on a real stream. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, target: { isTTY, columns: 200, write: (chunk: string) => writes.push(chunk) } as unknown as NodeJS.WriteStream };
}
const progress = (scenario: string, elapsedS: number, alerts: ScenarioProgress['alerts'] = {}): ScenarioProgress => ({
  scenario, phase: 'running', elapsedS, durationS: 30, rps: 20, requests: 20 * elapsedS, failures: 3, alerts,
});

describe('live progress', () => {
  it('on a terminal redraws one line in place: one scenario in full, several compactly behind their count', () => {
    const { writes, target } = stream(true);
    const live = new LiveProgress(target);
    live.update(progress('api-errors', 8, { HighAPIErrorRate: 'pending' }));
    live.update(progress('llm-errors', 2));
    expect(writes).toEqual([
      '\r\x1b[Kapi-errors  8s/30s  20.0 rps  3 errors/160  alerts: HighAPIErrorRate=pending',
      '\r\x1b[K2 running: api-errors 8/30s HighAPIErrorRate=pending | llm-errors 2/30s',
    ]);
    live.clear('api-errors');
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('in a CI log prints plain lines: on an alert state change, else every 10 s per scenario', () => {
    const { writes, target } = stream(false);
    const live = new LiveProgress(target);
    for (let s = 1; s <= 12; s++) live.update(progress('api-errors', s, s >= 5 ? { HighAPIErrorRate: 'pending' } : {}));
    expect(writes).toEqual([
      '  api-errors  1s/30s  20.0 rps  3 errors/20  alerts: none\n',
      '  api-errors  5s/30s  20.0 rps  3 errors/100  alerts: HighAPIErrorRate=pending\n',
    ]);
    live.update(progress('api-errors', 15, { HighAPIErrorRate: 'pending' }));
    expect(writes.at(-1)).toBe('  api-errors  15s/30s  20.0 rps  3 errors/300  alerts: HighAPIErrorRate=pending\n');
  });
});
