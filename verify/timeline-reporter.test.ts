import { describe, expect, it } from 'vitest';
import { timeline } from './timeline-reporter.ts';

describe('the suite timeline', () => {
  it('shows the global setup, each project from its first start to its last end, and every file of 10 s or more, by start', () => {
    const t0 = 1_000_000;
    const at = (s: number) => t0 + s * 1000;
    const lines = timeline(
      [
        { file: 'verify/alone.test.ts', project: 'verify-alone', startMs: at(700), endMs: at(950) },
        { file: 'verify/gate.test.ts', project: 'verify', startMs: at(600), endMs: at(601) },
        { file: 'verify/game-day.test.ts', project: 'verify', startMs: at(600), endMs: at(755) },
        { file: 'src/x.test.ts', project: 'unit', startMs: at(602), endMs: at(605) },
      ],
      t0,
    );
    expect(lines).toEqual([
      'suite timeline (seconds from the start: file start, end, duration):',
      '    0 s   600 s   600 s  global setup  until the first file started',
      '  600 s   755 s   155 s  verify        2 files (1 under 10 s)',
      '  602 s   605 s     3 s  unit          1 files (1 under 10 s)',
      '  700 s   950 s   250 s  verify-alone  1 files (0 under 10 s)',
      '  600 s   755 s   155 s  verify        verify/game-day.test.ts',
      '  700 s   950 s   250 s  verify-alone  verify/alone.test.ts',
    ]);
  });

  it('prints nothing when no file ran', () => {
    expect(timeline([], 0)).toEqual([]);
  });
});
