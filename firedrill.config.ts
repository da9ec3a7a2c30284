// Wires the fixture systems exactly as a user wires their own services and monitoring config.
import { defineConfig } from './src/index.ts';

// The fixtures' TypeScript services start bundled (see fixtures/start-service.mjs); yours can be any
// command. On --stack containers they run in a Node.js image (npm run images builds it here).
const NODE_IMAGE = process.env.FIREDRILL_NODE_IMAGE ?? 'firedrill/node:local';
const tsService = (file: string) => ({ command: ['node', 'fixtures/start-service.mjs', file], image: NODE_IMAGE });

export default defineConfig({
  systems: {
    piyasa: {
      prometheus: 'fixtures/piyasa/prometheus.yml',
      alertmanager: 'fixtures/piyasa/alertmanager.yml',
      contract: 'fixtures/piyasa/contract.yml',
      dashboards: 'fixtures/piyasa/dashboards',
      services: {
        api: {
          ...tsService('fixtures/piyasa/services/api.ts'),
          job: 'piyasa-chatbot-api',
          faults: ['latency', 'error_ratio', 'db_pool_in_use', 'slow_queries', 'cache_miss_ratio', 'metrics_failure'],
        },
        worker: {
          ...tsService('fixtures/piyasa/services/worker.ts'),
          job: 'piyasa-chatbot-worker',
          faults: ['llm_failure', 'circuit_breaker', 'telegram_429', 'stall', 'slow_generation', 'metrics_failure'],
        },
      },
    },
    // THE_BOT knows nothing of firedrill: no fault endpoint. Its API reaches PostgreSQL and Redis,
    // and its frontend the API, through firedrill's fault proxies ({{db}}, {{cache}}, {{backend}});
    // real exporters read a real PostgreSQL, a real Redis and a simulated host.
    thebot: {
      prometheus: 'fixtures/thebot/prometheus.yml',
      alertmanager: 'fixtures/thebot/alertmanager.yml',
      contract: 'fixtures/thebot/contract.yml',
      dashboards: 'fixtures/thebot/dashboards',
      services: {
        backend: {
          ...tsService('fixtures/thebot/services/api.ts'),
          job: 'django',
          metricsPath: '/api/system/metrics/prometheus/',
          env: { DATABASE_URL: 'postgresql://postgres@{{db}}/thebot', REDIS_URL: 'redis://{{cache}}' },
        },
        frontend: {
          ...tsService('fixtures/thebot/services/frontend.ts'),
          job: 'nodejs',
          env: { API_URL: 'http://{{api}}' },
        },
      },
      dependencies: {
        db: {
          type: 'postgres',
          databases: ['thebot'],
          init: ['fixtures/thebot/db/schema.sql'],
          settings: { shared_preload_libraries: 'pg_stat_statements' },
        },
        cache: { type: 'redis' },
        api: { type: 'http', service: 'backend' },
      },
      exporters: {
        'node-exporter': { type: 'node', job: 'node', host: 'web' },
        'postgres-exporter': { type: 'postgres', job: 'postgres', dependency: 'db', queries: 'fixtures/thebot/postgres-exporter-queries.yml' },
        'redis-exporter': { type: 'redis', job: 'redis', dependency: 'cache' },
      },
      hosts: { web: {} },
    },
  },
  scenarios: 'scenarios',
});
