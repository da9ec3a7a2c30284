// A service that is slow until it has served its first requests (a connection pool that opens
// lazily, code compiled on first use), for verify/warm-up.test.ts.
import { defineConfig } from '../../src/index.ts';

export default defineConfig({
  systems: {
    coldstart: {
      prometheus: 'prometheus.yml',
      alertmanager: 'alertmanager.yml',
      services: { api: { command: ['node', 'service.mjs'], job: 'api' } },
    },
  },
  scenarios: '.',
});
