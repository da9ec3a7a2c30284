import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { backendTraffic, frontendTraffic } from './lib/thebot-traffic.ts';

/**
 * The Django backend's process is killed (SIGKILL to it and its children): Prometheus reads up 0
 * for job django and DjangoServiceDown pages critical-team. The frontend answers 502 meanwhile;
 * no THE_BOT rule watches it. Started again, the backend is scraped and the alert resolves.
 *
 * Held 3m of the 9m: the traffic's 2xx ratio must stay above half, and the backend's restart is
 * real time at any scale (1 to 4 s here, 40 to 160 s of rule time at scale 40), so the hold leaves
 * room for it. A backend that never came back would still fail the ratio (about 0.4).
 *
 * DjangoHighLatency may fire: the restarted backend opens its PostgreSQL connections lazily, under
 * full traffic, and a slow second of real time is 40 s of rule time at scale 40. Here its p95 rose
 * from 25 ms to 76 ms after the restart; in CI, in containers on a busy machine, it passed 1 s for
 * long enough to fire once. The drill is about DjangoServiceDown, not that alert.
 */
export default defineScenario({
  name: 'thebot-backend-down',
  system: 'thebot',
  description: 'the backend killed: DjangoServiceDown pages critical-team and resolves after the restart',
  duration: '9m',
  traffic: [backendTraffic(20, { minOkRatio: 0.5 }), frontendTraffic(5, { minOkRatio: 0.5 })],
  faults: [{ at: '1m', hold: '3m', fault: fault.kill('backend') }],
  expect: [
    expectAlert('DjangoServiceDown').toFire({ fireAfter: '1m', detectWithin: '1m', fireWithin: '2m' }),
    expectAlert('DjangoServiceDown').toNotify('critical-team'),
    expectAlert('DjangoServiceDown').toResolve({ resolveWithin: '2m' }),
    expectAlert('DjangoHighErrorRate').toNotFire(),
    expectAlert('DjangoHighLatency').toMayFire(),
  ],
});
