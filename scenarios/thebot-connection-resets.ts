import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic, frontendTraffic } from './lib/thebot-traffic.ts';

/**
 * Every connection from the backend to PostgreSQL is reset (TCP RST at the proxy), open ones and
 * new ones: requests that need the database answer 500 at once, chat reads served from Redis
 * still work. The error ratio passes 5%: DjangoHighErrorRate pages critical-team, and resolves
 * once connections hold again. Nothing is slow and the server itself is fine.
 */
export default defineScenario({
  name: 'thebot-connection-resets',
  system: 'thebot',
  description: 'connections to PostgreSQL reset at the proxy: DjangoHighErrorRate pages critical-team',
  duration: '14m',
  traffic: [backendTraffic(20), frontendTraffic(5)],
  faults: [{ at: '1m', hold: '6m', fault: fault.reset('db') }],
  expect: [
    expectAlert('DjangoHighErrorRate').toFire({ fireAfter: '2m' }),
    expectAlert('DjangoHighErrorRate').toNotify('critical-team'),
    expectAlert('DjangoHighErrorRate').toResolve(),
    expectAlert('DjangoSlowQueries').toNotFire(),
    expectAlert('PostgreSQLDown').toNotFire(),
  ],
});
