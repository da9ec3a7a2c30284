import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The API process is frozen with SIGSTOP: it holds its port but answers nothing, so scrapes
 * time out and `up` drops to 0 exactly as for a crash. SIGCONT brings it back.
 *
 *   1m pause api -> APIDown pending ~1m10s, firing ~2m10s, paged after group_wait (30s)
 *   4m continue -> resolves
 */
export default defineScenario({
  name: 'api-hang',
  system: 'piyasa',
  description: 'The API process is paused (SIGSTOP): scrapes time out and APIDown pages',
  duration: '5m',
  traffic: [apiTraffic(10)],
  faults: [{ at: '1m', hold: '3m', fault: fault.pause('api') }],
  expect: [
    expectAlert('APIDown').toFire({ fireAfter: '1m', detectWithin: '1m', fireWithin: '2m' }),
    expectAlert('APIDown').toNotify('critical-alerts'),
    expectAlert('APIDown').toResolve({ resolveWithin: '2m' }),
  ],
});
