import { defineScenario, expectAlert, fault } from '../../../src/index.ts';

/**
 * A routine restart of the api must not page: ApiDown's 3m `for` holds the restart's gap. Started
 * again, the service takes 6.5 s to listen, as a container can on a loaded machine: 4m20s of rule
 * time at scale 40, past that `for`; at scale 10, 65 s, within it.
 */
export default defineScenario({
  name: 'restart-slow',
  system: 'slow-restart',
  duration: '6m',
  traffic: [{ service: 'api', rps: 10, requests: [{ method: 'GET', path: '/' }] }],
  faults: [{ at: '1m', fault: fault.restart('api') }],
  expect: [expectAlert('ApiDown').toNotFire()],
});
