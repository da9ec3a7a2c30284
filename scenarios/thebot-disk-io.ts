import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic } from './lib/thebot-traffic.ts';

/** The simulated host's disk doing 2,500 operations per second: HighDiskIO (> 1000/s) pages ops-team. */
export default defineScenario({
  name: 'thebot-disk-io',
  system: 'thebot',
  description: 'the disk at 2,500 ops/s: HighDiskIO pages ops-team',
  duration: '18m',
  traffic: [backendTraffic(5)],
  faults: [{ at: '1m', hold: '12m', fault: fault.diskIo('web', 2500) }],
  expect: [
    expectAlert('HighDiskIO').toFire({ fireAfter: '5m' }),
    expectAlert('HighDiskIO').toNotify('ops-team'),
    expectAlert('HighDiskIO').toResolve(),
  ],
});
