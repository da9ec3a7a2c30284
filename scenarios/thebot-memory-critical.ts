import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic } from './lib/thebot-traffic.ts';

/**
 * 97% of the simulated host's memory in use: both memory alerts go pending together;
 * CriticalMemoryUsage (for 2m) fires first and pages critical-team, and when HighMemoryUsage
 * (for 5m) fires it is muted by the inhibition (equal: instance), never paged.
 */
export default defineScenario({
  name: 'thebot-memory-critical',
  system: 'thebot',
  description: 'memory 97% used: CriticalMemoryUsage pages critical-team and mutes HighMemoryUsage',
  duration: '14m',
  traffic: [backendTraffic(5)],
  faults: [{ at: '1m', hold: '9m', fault: fault.memory('web', 97) }],
  expect: [
    expectAlert('CriticalMemoryUsage').toFire({ fireAfter: '2m' }),
    expectAlert('CriticalMemoryUsage').toNotify('critical-team'),
    expectAlert('HighMemoryUsage').toFire({ fireAfter: '5m' }),
    expectAlert('HighMemoryUsage').toBeInhibitedBy('CriticalMemoryUsage'),
    expectAlert('CriticalMemoryUsage').toResolve(),
  ],
});
