import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The API process is frozen with SIGSTOP: it holds its port but answers nothing, so scrapes
 * time out and `up` drops to 0 exactly as for a crash. SIGCONT brings it back.
 *
 *   1m pause api -> APIDown pending ~1m10s, firing ~2m10s      9m continue -> resolves
 *
 * The pause outlasts group_wait + group_interval (5m30s) so that APIDown is notified even when
 * an earlier drill on a shared stack left its Alertmanager group alive (see api-outage).
 */
export default defineScenario({
  name: 'api-hang',
  system: 'piyasa',
  description: 'The API process is paused (SIGSTOP): scrapes time out and APIDown pages',
  duration: '10m',
  traffic: [apiTraffic(10)],
  faults: [{ at: '1m', hold: '8m', fault: fault.pause('api') }],
  expect: [
    expectAlert('APIDown').toFire({ detectWithin: '1m' }),
    expectAlert('APIDown').toNotify('critical-alerts'),
    expectAlert('APIDown').toResolve(),
  ],
});
