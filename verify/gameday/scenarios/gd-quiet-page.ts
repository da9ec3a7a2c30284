import { defineScenario, expectAlert, fault } from '../../../src/index.ts';

/** A short outage for --silence: GameApiDown still fires and is routed to pager, and nobody is paged. */
export default defineScenario({
  name: 'gd-quiet-page',
  system: 'gameday',
  duration: '16s',
  traffic: [{ service: 'api', rps: 5, requests: [{ method: 'GET', path: '/' }] }],
  faults: [{ at: '2s', hold: '9s', fault: fault.kill('api') }],
  expect: [
    expectAlert('GameApiDown').toFire({ detectWithin: '5s' }),
    expectAlert('GameApiDown').toNotify('pager'),
    expectAlert('GameApiSilent').toBeInhibitedBy('GameApiDown'),
  ],
});
