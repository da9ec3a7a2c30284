import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The worker process is killed. WorkerDown (up == 0, for 2m) must page critical-alerts; the
 * worker's own throughput alerts must stay quiet, since a dead target has no series to judge,
 * through the outage and the 5m window after the restart.
 *
 *   1m kill worker -> WorkerDown pending ~1m10s, firing ~3m10s      5m restart -> resolves
 */
export default defineScenario({
  name: 'worker-outage',
  system: 'piyasa',
  description: 'The worker process is killed: WorkerDown pages critical-alerts',
  duration: '12m',
  traffic: [apiTraffic(10, { minOkRatio: 0.99 })],
  faults: [{ at: '1m', hold: '4m', fault: fault.kill('worker') }],
  expect: [
    expectAlert('WorkerDown').toFire({ fireAfter: '2m', detectWithin: '1m', fireWithin: '3m' }),
    expectAlert('WorkerDown').toNotify('critical-alerts'),
    expectAlert('WorkerDown').toResolve({ resolveWithin: '2m' }),
    expectAlert('WorkerNoMessages').toNotFire(),
    expectAlert('APIDown').toNotFire(),
  ],
});
