import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The API keeps serving every request, but its /metrics answers 500. Prometheus cannot tell
 * that from an outage: APIDown fires while users see no errors (the traffic threshold proves it).
 *
 *   1m /metrics fails -> APIDown pending ~1m10s, firing ~2m10s      9m repaired -> resolves
 *   (held past group_wait + group_interval: see api-outage)
 */
export default defineScenario({
  name: 'metrics-endpoint-broken',
  system: 'piyasa',
  description: 'The API works but /metrics fails: APIDown fires though traffic is healthy',
  duration: '10m',
  traffic: [apiTraffic(10, { minOkRatio: 0.99 })],
  faults: [{ at: '1m', hold: '8m', fault: fault.metricsFailure('api') }],
  expect: [
    expectAlert('APIDown').toFire({ detectWithin: '1m' }),
    expectAlert('APIDown').toNotify('critical-alerts'),
    expectAlert('APIDown').toResolve(),
    expectAlert('HighAPIErrorRate').toNotFire(),
  ],
});
