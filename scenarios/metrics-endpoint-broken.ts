import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The API keeps serving every request, but its /metrics answers 500. Prometheus cannot tell
 * that from an outage: APIDown fires while users see no errors (the traffic threshold proves
 * it), and HighAPIErrorRate, blind without samples, stays quiet through and after it.
 *
 *   1m /metrics fails -> APIDown pending ~1m10s, firing ~2m10s      5m repaired -> resolves
 */
export default defineScenario({
  name: 'metrics-endpoint-broken',
  system: 'piyasa',
  description: 'The API works but /metrics fails: APIDown fires though traffic is healthy',
  duration: '12m',
  traffic: [apiTraffic(10, { minOkRatio: 0.99 })],
  faults: [{ at: '1m', hold: '4m', fault: fault.metricsFailure('api') }],
  expect: [
    expectAlert('APIDown').toFire({ fireAfter: '1m', detectWithin: '1m', fireWithin: '2m' }),
    expectAlert('APIDown').toNotify('critical-alerts'),
    expectAlert('APIDown').toResolve({ resolveWithin: '2m' }),
    expectAlert('HighAPIErrorRate').toNotFire(),
  ],
});
