import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic } from './lib/thebot-traffic.ts';

/**
 * The simulated host's CPUs 95% busy (node_exporter reads procfs files firedrill writes; the
 * machine itself is not loaded): HighCPUUsage (> 80% over 5m, for 5m) pages critical-team.
 */
export default defineScenario({
  name: 'thebot-cpu',
  system: 'thebot',
  description: 'the host 95% busy: HighCPUUsage pages critical-team',
  duration: '18m',
  traffic: [backendTraffic(5)],
  faults: [{ at: '1m', hold: '12m', fault: fault.cpu('web', 95) }],
  expect: [
    expectAlert('HighCPUUsage').toFire({ fireAfter: '5m' }),
    expectAlert('HighCPUUsage').toNotify('critical-team'),
    expectAlert('HighCPUUsage').toResolve(),
  ],
});
