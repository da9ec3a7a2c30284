import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The Piyasa guide's "stop the API, wait a minute, check the alerts" drill, automated.
 * Latency first makes HighAPILatency pending; the API is killed while it is pending, so
 * APIDown fires before HighAPILatency does and must mute it (inhibition with equal: [service]).
 *
 * Rule-time timeline (after 4m of healthy history, scaled by the harness):
 *   0m  steady traffic            1m  +800ms latency -> HighAPILatency pending ~1m15s
 *   4m  kill api -> APIDown pending ~4m10s, firing ~5m10s, paged after group_wait
 *   ~6m15s HighAPILatency firing (its 5m window still holds the slow samples) -> inhibited
 *   7m  latency reverted; HighAPILatency resolves once its window no longer holds slow requests
 *   9m  restart api -> APIDown resolves
 */
export default defineScenario({
  name: 'api-outage',
  system: 'piyasa',
  description: 'API latency, then the API process is killed: APIDown fires and mutes HighAPILatency',
  duration: '10m',
  traffic: [apiTraffic(20)],
  faults: [
    { at: '1m', hold: '6m', fault: fault.latency('api', '800ms') },
    { at: '4m', hold: '5m', fault: fault.kill('api') },
  ],
  expect: [
    expectAlert('APIDown').toFire({ fireAfter: '1m', detectWithin: '1m', fireWithin: '2m' }),
    // The page itself, routing included: firing by 2m and the critical route's 30s group_wait.
    expectAlert('APIDown').toNotify('critical-alerts', { notifyWithin: '3m' }),
    expectAlert('HighAPILatency').toFire({ fireAfter: '5m', detectWithin: '2m' }),
    expectAlert('HighAPILatency').toBeInhibitedBy('APIDown'),
    expectAlert('APIDown').toResolve({ resolveWithin: '2m' }),
    expectAlert('HighAPILatency').toResolve(),
  ],
});
