import { defineConfig } from 'vitest/config';
import { LongestFirst } from './verify/longest-first.ts';
import { TimelineReporter } from './verify/timeline-reporter.ts';

// The files that drive whole firedrill runs hard (Ctrl-C and SIGKILL in every phase, every kind
// of bad input) take most of 2 cores each, and a drill in containers (its services start in
// containers and are scraped every 375 ms) loses its timing beside them (seen in CI at load 10:
// probes flapping, detection bounds missed): they run one at a time, after everything else. The
// gates of the projects in containers (Bot-Core, the compose shop) run in the global setup.
const ALONE = [
  'verify/reliability.test.ts',
  'verify/outside-bad-input.test.ts',
  'verify/containers-cli.test.ts',
  // populate writes days of history with both cores, and times its recording by the scrape interval
  'verify/populate.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['verify/setup.ts'],
    sequence: { sequencer: LongestFirst },
    // After the summary, when each file ran: where the suite's wall time goes.
    reporters: ['default', new TimelineReporter()],
    projects: [
      // Unit tests and the verify files that read the gates or wait on a stack of their own run
      // three at a time: their stacks mostly wait on Prometheus' clock, not on the CPU.
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts'], maxWorkers: 3, testTimeout: 20_000 } },
      {
        extends: true,
        test: {
          name: 'verify',
          include: ['verify/**/*.test.ts'],
          exclude: ALONE,
          // Runs every gate the suite reads once, side by side, before any test file starts.
          globalSetup: ['verify/global-setup.ts'],
          maxWorkers: 3,
          testTimeout: 20_000,
          hookTimeout: 180_000,
        },
      },
      { extends: true, test: { name: 'verify-alone', include: ALONE, fileParallelism: false, testTimeout: 20_000, hookTimeout: 180_000 } },
    ],
  },
});
