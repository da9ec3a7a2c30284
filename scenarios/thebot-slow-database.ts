import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic, frontendTraffic } from './lib/thebot-traffic.ts';

/**
 * The database 400 ms away (each way, through firedrill's proxy; the backend knows nothing):
 * every statement takes 0.8 s or more, so queries slower than 0.5 s run at well over 10/s
 * (DjangoSlowQueries) and message posts, four round trips each, push p95 past 1 s
 * (DjangoHighLatency). Transactions stay open about 2.4 s on the server: far from
 * LongRunningQueries' 5 s. Both warnings go to ops-team and resolve once the latency goes.
 * Also the negative control of the PostgreSQLDown inhibition: DjangoSlowQueries pages here.
 */
export default defineScenario({
  name: 'thebot-slow-database',
  system: 'thebot',
  description: 'PostgreSQL 400 ms away through the proxy: slow queries and high latency, paged to ops-team',
  duration: '20m',
  traffic: [backendTraffic(20), frontendTraffic(5)],
  faults: [{ at: '1m', hold: '12m', fault: fault.latency('db', '400ms', { jitter: '50ms' }) }],
  expect: [
    expectAlert('DjangoSlowQueries').toFire({ fireAfter: '2m' }),
    expectAlert('DjangoSlowQueries').toNotify('ops-team'),
    expectAlert('DjangoSlowQueries').toResolve(),
    expectAlert('DjangoHighLatency').toFire({ fireAfter: '5m' }),
    expectAlert('DjangoHighLatency').toNotify('ops-team'),
    expectAlert('DjangoHighLatency').toResolve(),
    expectAlert('LongRunningQueries').toNotFire(),
    expectAlert('DjangoHighErrorRate').toNotFire(),
  ],
});
