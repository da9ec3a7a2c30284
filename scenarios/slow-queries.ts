import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * One DB query in eight takes 1.5s longer (real seconds: latency is never scaled), pushing the
 * p95 of database_query_duration_seconds over 1s. Only a quarter of requests query the DB, so
 * about 3% of requests are slow: HTTP p95 stays under HighAPILatency's 500ms.
 *
 *   1m slow -> pending ~1m20s, firing ~11m20s (for 10m)      14m fast again -> resolves
 */
export default defineScenario({
  name: 'slow-queries',
  system: 'piyasa',
  description: 'An eighth of DB queries take 1.5s longer: SlowDatabaseQueries notifies warnings',
  duration: '15m',
  traffic: [apiTraffic(20)],
  faults: [{ at: '1m', hold: '13m', fault: fault.slowQueries('api', '1500ms', 0.12) }],
  expect: [
    expectAlert('SlowDatabaseQueries').toFire({ fireAfter: '10m' }),
    expectAlert('SlowDatabaseQueries').toNotify('warnings'),
    expectAlert('SlowDatabaseQueries').toResolve(),
    expectAlert('DatabaseConnectionPoolExhausted').toNotFire(),
  ],
});
