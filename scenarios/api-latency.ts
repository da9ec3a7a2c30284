import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * Traffic ramps from 10 to 30 rps while every request gets 800ms slower. With the API up,
 * nothing inhibits HighAPILatency, so it must reach the warnings receiver: the negative control
 * of the APIDown -> HighAPILatency inhibition.
 *
 *   0-3m ramp 10 -> 30 rps      1m +800ms -> pending ~1m15s, firing ~6m15s      9m fast again
 */
export default defineScenario({
  name: 'api-latency',
  system: 'piyasa',
  description: 'Ramping traffic meets +800ms latency: HighAPILatency notifies warnings',
  duration: '10m',
  traffic: [apiTraffic(10, { ramp: [{ over: '3m', rps: 30 }] })],
  faults: [{ at: '1m', hold: '8m', fault: fault.latency('api', '800ms') }],
  expect: [
    expectAlert('HighAPILatency').toFire({ fireAfter: '5m', detectWithin: '2m' }),
    expectAlert('HighAPILatency').toNotify('warnings'),
    expectAlert('HighAPILatency').toResolve(),
    expectAlert('APIDown').toNotFire(),
  ],
});
