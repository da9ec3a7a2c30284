import { defineScenario, expectAlert } from '../src/index.ts';
import { backendTraffic, frontendTraffic, THEBOT_ALERTS } from './lib/thebot-traffic.ts';

/**
 * THE_BOT healthy: traffic through both services, a real PostgreSQL and Redis, a quiet simulated
 * host, for longer than the longest window plus `for` of any rule (HighCPUUsage, HighDiskIO and
 * DjangoHighLatency through its recording rule: 5m + 5m). No alert may fire, and the gate checks
 * the metric contract after this drill.
 */
export default defineScenario({
  name: 'thebot-baseline',
  system: 'thebot',
  description: 'THE_BOT healthy for longer than every window and for: no alert fires',
  duration: '15m',
  traffic: [backendTraffic(20, { minOkRatio: 0.99 }), frontendTraffic(5, { minOkRatio: 0.99 })],
  faults: [],
  expect: THEBOT_ALERTS.map((alert) => expectAlert(alert).toNotFire()),
});
