import { defineScenario, expectAlert, fault } from '../../../src/index.ts';

/** Kill the API for 15 s: GameApiDown pages, and mutes GameApiSilent (its request counter is gone meanwhile). */
export default defineScenario({
  name: 'gd-outage',
  system: 'gameday',
  duration: '35s',
  traffic: [{ service: 'api', rps: 5, requests: [{ method: 'GET', path: '/' }] }],
  faults: [{ at: '5s', hold: '15s', fault: fault.kill('api') }],
  expect: [
    expectAlert('GameApiDown').toFire({ detectWithin: '5s' }),
    expectAlert('GameApiDown').toNotify('pager'),
    expectAlert('GameApiSilent').toBeInhibitedBy('GameApiDown'),
    expectAlert('GameApiDown').toResolve(),
  ],
});
