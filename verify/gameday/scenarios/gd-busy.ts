import { defineScenario, expectAlert } from '../../../src/index.ts';

/**
 * 60 requests/s for 20 s, then 5: GameApiBusy (> 50/s over 10 s) fires and goes to tickets. No
 * fault: the stand-in it runs on has no fault controller, and a firing no fault caused is only
 * allowed (toMayFire), never credited (toFire).
 */
export default defineScenario({
  name: 'gd-busy',
  system: 'gameday',
  duration: '40s',
  traffic: [{ service: 'api', rps: 60, ramp: [{ over: '20s', rps: 60 }, { over: '1s', rps: 5 }], requests: [{ method: 'GET', path: '/' }] }],
  faults: [],
  expect: [expectAlert('GameApiBusy').toMayFire(), expectAlert('GameApiBusy').toNotify('tickets')],
});
