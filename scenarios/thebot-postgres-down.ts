import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic, frontendTraffic } from './lib/thebot-traffic.ts';

/**
 * The guide's "stop the database" drill, from outside. The database is slow first (800 ms away
 * through the proxy), so DjangoSlowQueries fires; then PostgreSQL itself is stopped (a real
 * server, fast shutdown). postgres_exporter reads pg_up 0: PostgreSQLDown pages critical-team
 * and mutes the Django database alerts, and DjangoSlowQueries, whose statements now fail after
 * the proxy's delay, stays muted while it fires. Requests that need the database fail:
 * DjangoHighErrorRate pages critical-team too (it is not a database alert). The negative control,
 * DjangoSlowQueries paging with PostgreSQL up, is thebot-slow-database.
 */
export default defineScenario({
  name: 'thebot-postgres-down',
  system: 'thebot',
  description: 'slow database, then PostgreSQL stopped: PostgreSQLDown pages critical-team and mutes DjangoSlowQueries',
  duration: '16m',
  traffic: [backendTraffic(20), frontendTraffic(5)],
  faults: [
    { at: '1m', hold: '14m', fault: fault.latency('db', '800ms') },
    { at: '6m', hold: '8m', fault: fault.stop('db') },
  ],
  expect: [
    expectAlert('DjangoSlowQueries').toFire({ fireAfter: '2m' }),
    expectAlert('PostgreSQLDown').toFire({ fireAfter: '1m' }),
    expectAlert('PostgreSQLDown').toNotify('critical-team'),
    expectAlert('DjangoSlowQueries').toBeInhibitedBy('PostgreSQLDown'),
    expectAlert('DjangoHighErrorRate').toFire({ fireAfter: '2m' }),
    expectAlert('DjangoHighErrorRate').toNotify('critical-team'),
    expectAlert('PostgreSQLDown').toResolve(),
    expectAlert('DjangoHighLatency').toMayFire(),
    expectAlert('LongRunningQueries').toMayFire(),
  ],
});
