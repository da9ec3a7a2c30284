import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * Telegram answers 429 to 5% of sends: about 0.5 per second against a 0.1/s threshold.
 *
 *   1m 429s -> pending ~1m15s, firing ~6m15s      9m healthy -> resolves
 */
export default defineScenario({
  name: 'telegram-rate-limit',
  system: 'piyasa',
  description: 'Telegram rate-limits 5% of sends: TelegramRateLimitHit notifies warnings',
  duration: '10m',
  traffic: [apiTraffic(5)],
  faults: [{ at: '1m', hold: '8m', fault: fault.telegram429('worker', 0.05) }],
  expect: [
    expectAlert('TelegramRateLimitHit').toFire({ detectWithin: '1m' }),
    expectAlert('TelegramRateLimitHit').toNotify('warnings'),
    expectAlert('TelegramRateLimitHit').toResolve(),
  ],
});
