import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'verify/**/*.test.ts'],
    setupFiles: ['verify/setup.ts'],
    // The verify suite starts real Prometheus/Alertmanager stacks; on 2 cores they run one file at a time.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
