import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic } from './lib/thebot-traffic.ts';

/**
 * 88% of the simulated host's memory in use: HighMemoryUsage (> 80%) pages critical-team, and
 * CriticalMemoryUsage (> 95%) stays quiet. The negative control of the CriticalMemoryUsage
 * inhibition: with no critical alert, HighMemoryUsage is not muted.
 */
export default defineScenario({
  name: 'thebot-memory-high',
  system: 'thebot',
  description: 'memory 88% used: HighMemoryUsage pages critical-team, unmuted',
  duration: '14m',
  traffic: [backendTraffic(5)],
  faults: [{ at: '1m', hold: '9m', fault: fault.memory('web', 88) }],
  expect: [
    expectAlert('HighMemoryUsage').toFire({ fireAfter: '5m' }),
    expectAlert('HighMemoryUsage').toNotify('critical-team'),
    expectAlert('HighMemoryUsage').toResolve(),
    expectAlert('CriticalMemoryUsage').toNotFire(),
  ],
});
