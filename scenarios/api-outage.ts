import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The Piyasa guide's "stop the API, wait a minute, check the alerts" drill, automated.
 * Latency first makes HighAPILatency pending; the API is killed while it is pending, so
 * APIDown fires before HighAPILatency does and must mute it (inhibition with equal: [service]).
 *
 * Rule-time timeline (scaled by the harness):
 *   0m  steady traffic            1m  +800ms latency -> HighAPILatency pending ~1m15s
 *   4m  kill api -> APIDown pending ~4m10s, firing ~5m10s
 *   ~6m15s HighAPILatency firing (its 5m window still holds the slow samples) -> inhibited
 *   7m  latency reverted; HighAPILatency resolves once its 5m window is fast again (~10m)
 *   12m restart api -> APIDown resolves
 *
 * APIDown stays firing ~7m, longer than group_wait + group_interval (5m30s): if an earlier
 * drill on a shared stack left its Alertmanager group alive, a new alert in it is only sent at
 * the group's next group_interval tick, and a shorter outage could resolve before that tick.
 */
export default defineScenario({
  name: 'api-outage',
  system: 'piyasa',
  description: 'API latency, then the API process is killed: APIDown fires and mutes HighAPILatency',
  duration: '13m',
  traffic: [apiTraffic(20)],
  faults: [
    { at: '1m', hold: '6m', fault: fault.latency('api', '800ms') },
    { at: '4m', hold: '8m', fault: fault.kill('api') },
  ],
  expect: [
    expectAlert('APIDown').toFire({ detectWithin: '1m' }),
    expectAlert('APIDown').toNotify('critical-alerts'),
    expectAlert('HighAPILatency').toFire(),
    expectAlert('HighAPILatency').toBeInhibitedBy('APIDown'),
    expectAlert('APIDown').toResolve(),
    expectAlert('HighAPILatency').toResolve(),
  ],
});
