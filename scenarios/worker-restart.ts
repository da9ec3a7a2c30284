import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * A routine worker restart (SIGKILL and start again at once) must not page anyone: the gap in
 * `up` is far shorter than WorkerDown's 2m, and the counter reset is not a stall.
 */
export default defineScenario({
  name: 'worker-restart',
  system: 'piyasa',
  description: 'The worker restarts once: no alert fires',
  duration: '6m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '2m', fault: fault.restart('worker') }],
  expect: [
    expectAlert('WorkerDown').toNotFire(),
    expectAlert('WorkerNoMessages').toNotFire(),
    expectAlert('HighLLMErrorRate').toNotFire(),
  ],
});
