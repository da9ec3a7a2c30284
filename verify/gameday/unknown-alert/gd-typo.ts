import { defineScenario, expectAlert } from '../../../src/index.ts';

// Names an alert the stack does not have (GameApiDwn): refused before anything is touched.
export default defineScenario({
  name: 'gd-typo',
  system: 'gameday',
  duration: '10s',
  traffic: [],
  faults: [],
  expect: [expectAlert('GameApiDwn').toNotFire()],
});
