import { defineScenario, expectAlert, fault } from '../../../src/index.ts';

// Expects a receiver the stack's Alertmanager does not have (oncall): refused before anything is touched.
export default defineScenario({
  name: 'gd-wrong-team',
  system: 'gameday',
  duration: '20s',
  traffic: [],
  faults: [{ at: '2s', hold: '10s', fault: fault.kill('api') }],
  expect: [expectAlert('GameApiDown').toFire(), expectAlert('GameApiDown').toNotify('oncall')],
});
