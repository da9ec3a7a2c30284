import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * A leak holds 19 of the 20 DB connections; requests share the last one.
 *
 *   1m leak -> in_use/size = 0.95 -> pending ~1m10s, firing ~6m10s      8m released -> resolves
 *
 * Deadlines: paged within 6m of the leak (detection 1m at most, for 5m), resolved within 2m of its
 * release; a for raised past 6m, or a keep_firing_for of 2m or more, fails the drill.
 */
export default defineScenario({
  name: 'db-pool-exhausted',
  system: 'piyasa',
  description: 'A connection leak holds 19 of 20 DB connections: DatabaseConnectionPoolExhausted notifies high-priority',
  duration: '9m',
  traffic: [apiTraffic(20)],
  faults: [{ at: '1m', hold: '7m', fault: fault.dbPoolInUse('api', 19) }],
  expect: [
    expectAlert('DatabaseConnectionPoolExhausted').toFire({ fireAfter: '5m', detectWithin: '1m', fireWithin: '6m' }),
    expectAlert('DatabaseConnectionPoolExhausted').toNotify('high-priority'),
    expectAlert('DatabaseConnectionPoolExhausted').toResolve({ resolveWithin: '2m' }),
  ],
});
