import { defineScenario, expectAlert, fault } from '../../../src/index.ts';

/**
 * A fault that leaves `up` alone (one metric family dropped from the scrape) at 4m: TargetDown must
 * stay quiet. In its first life the service's /metrics fails a second in, before that fault.
 */
export default defineScenario({
  name: 'dropped-error-once',
  system: 'error-once',
  duration: '8m',
  traffic: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }],
  faults: [{ at: '4m', hold: '2m', fault: fault.dropMetric('api', 'api_requests_total') }],
  expect: [expectAlert('TargetDown').toNotFire()],
});
