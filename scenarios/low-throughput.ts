import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * The worker skips 90% of its ticks: about 1 message per second instead of 10. That is low
 * throughput, not none, so WorkerNoMessages must stay quiet.
 *
 *   1m slow -> rate[10m] under 2/s ~10m -> firing ~20m (for 10m)      24m normal -> resolves
 */
export default defineScenario({
  name: 'low-throughput',
  system: 'piyasa',
  description: 'The worker generates a tenth of its usual rate: LowMessageThroughput notifies info',
  duration: '25m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '23m', fault: fault.stall('worker', 0.9) }],
  expect: [
    expectAlert('LowMessageThroughput').toFire(),
    expectAlert('LowMessageThroughput').toNotify('info'),
    expectAlert('LowMessageThroughput').toResolve(),
    expectAlert('WorkerNoMessages').toNotFire(),
  ],
});
