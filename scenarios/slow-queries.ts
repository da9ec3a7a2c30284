import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * One query in five takes 1.5s longer (real seconds: latency is never scaled), pushing the
 * p95 of database_query_duration_seconds over 1s.
 *
 *   1m slow -> pending ~1m20s, firing ~11m20s (for 10m)      14m fast again -> resolves
 */
export default defineScenario({
  name: 'slow-queries',
  system: 'piyasa',
  description: 'A fifth of DB queries take 1.5s longer: SlowDatabaseQueries notifies warnings',
  duration: '15m',
  traffic: [apiTraffic(20)],
  faults: [{ at: '1m', hold: '13m', fault: fault.slowQueries('api', '1500ms', 0.2) }],
  expect: [
    expectAlert('SlowDatabaseQueries').toFire({ detectWithin: '3m' }),
    expectAlert('SlowDatabaseQueries').toNotify('warnings'),
    expectAlert('SlowDatabaseQueries').toResolve(),
    expectAlert('DatabaseConnectionPoolExhausted').toNotFire(),
  ],
});
