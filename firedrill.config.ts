// Wires the fixture systems exactly as a user wires their own services and monitoring config.
import { defineConfig } from './src/index.ts';

// The fixtures' TypeScript services start bundled (see fixtures/start-service.mjs); yours can be any command.
const tsService = (file: string) => ['node', 'fixtures/start-service.mjs', file];

export default defineConfig({
  systems: {
    piyasa: {
      prometheus: 'fixtures/piyasa/prometheus.yml',
      alertmanager: 'fixtures/piyasa/alertmanager.yml',
      contract: 'fixtures/piyasa/contract.yml',
      services: {
        api: {
          command: tsService('fixtures/piyasa/services/api.ts'),
          job: 'piyasa-chatbot-api',
          faults: ['latency', 'error_ratio', 'db_pool_in_use', 'slow_queries', 'cache_miss_ratio', 'metrics_failure'],
        },
        worker: {
          command: tsService('fixtures/piyasa/services/worker.ts'),
          job: 'piyasa-chatbot-worker',
          faults: ['llm_failure', 'circuit_breaker', 'telegram_429', 'stall', 'slow_generation', 'metrics_failure'],
        },
      },
    },
  },
  scenarios: 'scenarios',
});
