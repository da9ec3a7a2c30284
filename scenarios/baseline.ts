import { defineScenario, expectAlert } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/** Every alert of the Piyasa rules. The baseline asserts each one stays quiet. */
const ALL_ALERTS = [
  'APIDown', 'WorkerDown', 'HighAPIErrorRate', 'HighAPILatency', 'LowCacheHitRate',
  'DatabaseConnectionPoolExhausted', 'SlowDatabaseQueries', 'HighMessageGenerationLatency',
  'WorkerNoMessages', 'LowMessageThroughput', 'CircuitBreakerOpen', 'HighLLMErrorRate',
  'LLMProviderFailure', 'TelegramRateLimitHit',
];

/**
 * Healthy traffic (with the small background error rates every production service has), no
 * fault, for longer than the longest window plus `for` of any rule (LowMessageThroughput: 10m
 * window + 10m for). No alert may fire: every threshold must sit clear of what a healthy system
 * does; and a rule whose comparison is reversed fires here.
 */
export default defineScenario({
  name: 'baseline',
  system: 'piyasa',
  description: 'Healthy traffic for longer than every window and for: no alert fires',
  duration: '25m',
  traffic: [apiTraffic(20, { minOkRatio: 0.99 })],
  faults: [],
  expect: ALL_ALERTS.map((alert) => expectAlert(alert).toNotFire()),
});
