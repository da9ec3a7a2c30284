// Vitest's default order runs projects by name (unit before verify) and, on a fresh checkout with
// no timings cached, larger files first. The suite's parallel phase lasts as long as its slowest
// chain, so the files known to take longest start first, whatever the cache holds.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first (seconds, measured on the 2-core reference machine). */
const SLOW_FILES = [
  'verify/outside-faults.test.ts', // ~82: every outside fault's effect and revert on a THE_BOT stack
  'verify/cli.test.ts', // ~45: real runs interrupted, vacuous drills, builds
  'verify/packaging.test.ts', // ~40: npm pack, two installs, tsc, a drill from the installed package
  'verify/k6-script.test.ts', // ~16
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
