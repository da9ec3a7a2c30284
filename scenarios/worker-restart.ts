import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * A routine worker restart must not page anyone. The worker is down for two scrape intervals
 * (fault.restart's default gap, 20s here), as a real restart is: `up` reads 0 and WorkerDown goes
 * pending, but its 2m `for` keeps it from firing; a rule without `for` would page here. The
 * counter reset is not a stall either.
 */
export default defineScenario({
  name: 'worker-restart',
  system: 'piyasa',
  description: 'The worker restarts once: no alert fires',
  duration: '12m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', fault: fault.restart('worker') }],
  expect: [
    expectAlert('WorkerDown').toNotFire(),
    expectAlert('WorkerNoMessages').toNotFire(),
    expectAlert('HighLLMErrorRate').toNotFire(),
  ],
});
