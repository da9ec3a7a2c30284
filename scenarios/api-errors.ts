import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * Half of the requests to one endpoint (GET /api/messages, a third of the mix) answer 500:
 * about 17% overall, over HighAPIErrorRate's 5% threshold. The drill starts with 4m of healthy
 * history (firedrill prepends it), so the 5m window is full of healthy traffic when the fault comes.
 *
 *   1m errors -> pending after ~1m30s (5/17 of the window must be failing), firing 5m later
 *   9m repaired -> resolves once under 5/17 of the window fails
 */
export default defineScenario({
  name: 'api-errors',
  system: 'piyasa',
  description: 'One endpoint fails half its requests: HighAPIErrorRate notifies high-priority',
  duration: '10m',
  traffic: [apiTraffic(20)],
  faults: [{ at: '1m', hold: '8m', fault: fault.errorRatio('api', 0.5, '/api/messages') }],
  expect: [
    expectAlert('HighAPIErrorRate').toFire({ detectWithin: '3m' }),
    expectAlert('HighAPIErrorRate').toNotify('high-priority'),
    expectAlert('HighAPIErrorRate').toResolve(),
    expectAlert('APIDown').toNotFire(),
  ],
});
