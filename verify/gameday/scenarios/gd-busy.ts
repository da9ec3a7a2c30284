import { defineScenario, expectAlert } from '../../../src/index.ts';

/** 60 requests/s for 20 s, then 5: GameApiBusy (> 50/s over 10 s) fires, goes to tickets, and resolves. No fault. */
export default defineScenario({
  name: 'gd-busy',
  system: 'gameday',
  duration: '40s',
  traffic: [{ service: 'api', rps: 60, ramp: [{ over: '20s', rps: 60 }, { over: '1s', rps: 5 }], requests: [{ method: 'GET', path: '/' }] }],
  faults: [],
  expect: [expectAlert('GameApiBusy').toFire(), expectAlert('GameApiBusy').toNotify('tickets'), expectAlert('GameApiBusy').toResolve()],
});
