import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['verify/setup.ts'],
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 20_000 } },
      {
        extends: true,
        test: {
          name: 'verify',
          include: ['verify/**/*.test.ts'],
          // Runs the gate and the mutation gate once, side by side, for every file that reads them.
          globalSetup: ['verify/global-setup.ts'],
          // The files that start stacks of their own run one at a time on 2 cores.
          fileParallelism: false,
          testTimeout: 20_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
