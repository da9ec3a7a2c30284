// Vitest's default order runs projects by name (unit before verify) and, on a fresh checkout with
// no timings cached, larger files first. The suite's parallel phase lasts as long as its slowest
// chain, so the files known to take longest start first, whatever the cache holds.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first (seconds in CI on the slower 2-core machine, two runs). */
const SLOW_FILES = [
  'verify/game-day.test.ts', // 125-159: game days at real time, one after another on one stand-in stack
  'verify/cli.test.ts', // 107: real runs interrupted, vacuous drills, builds
  'verify/html-report.test.ts', // 85-107: Chromium lays out the reports' charts
  'verify/outside-faults.test.ts', // 84-105: every outside fault's effect and revert on a THE_BOT stack
  'verify/game-day-plain.test.ts', // 85-100: two game days at real time
  'verify/packaging.test.ts', // 62-124: npm pack, two installs, tsc, a drill from the installed package
  'verify/machine-interference.test.ts', // 43 alone: four drills at once, three of them twice
  'verify/k6-script.test.ts', // 26-28
];

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FILES.findIndex((slow) => file.moduleId.endsWith(slow));
      return index === -1 ? SLOW_FILES.length : index;
    };
    return sorted.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}
