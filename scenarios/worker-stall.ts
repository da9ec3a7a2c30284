import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * The worker is up and scraped but generates nothing (a hung queue consumer). WorkerDown
 * cannot see this; WorkerNoMessages must, once a whole 5m window holds no increment.
 * LowMessageThroughput (drilled in low-throughput) may fire too.
 *
 *   1m stall -> pending ~6m (window empty), firing ~11m (for 5m)      14m unstuck -> resolves
 *   (held 3m past firing: the page goes out after group_wait, 30s, even on a busy machine)
 */
export default defineScenario({
  name: 'worker-stall',
  system: 'piyasa',
  description: 'The worker stops generating while staying up: WorkerNoMessages notifies high-priority',
  duration: '15m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '13m', fault: fault.stall('worker') }],
  expect: [
    expectAlert('WorkerNoMessages').toFire({ fireAfter: '5m' }),
    expectAlert('WorkerNoMessages').toNotify('high-priority'),
    expectAlert('WorkerNoMessages').toResolve(),
    expectAlert('WorkerDown').toNotFire(),
    expectAlert('LowMessageThroughput').toMayFire(),
  ],
});
