import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * The worker skips 85% of its ticks: about 1.5 messages per second instead of 10. That is low
 * throughput, not none, so WorkerNoMessages must stay quiet. (At 1.5/s a 10m window at scale 40
 * still holds over 20 messages, enough for the rate to mean something.)
 *
 *   1m slow -> rate[10m] under 2/s once 17/18 of the window is slow, ~10m -> firing ~20m (for 10m)
 *   23m normal -> resolves
 */
export default defineScenario({
  name: 'low-throughput',
  system: 'piyasa',
  description: 'The worker generates a seventh of its usual rate: LowMessageThroughput notifies info',
  duration: '25m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '22m', fault: fault.stall('worker', 0.85) }],
  expect: [
    expectAlert('LowMessageThroughput').toFire({ fireAfter: '10m' }),
    expectAlert('LowMessageThroughput').toNotify('info'),
    expectAlert('LowMessageThroughput').toResolve(),
    expectAlert('WorkerNoMessages').toNotFire(),
  ],
});
