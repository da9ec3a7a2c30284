import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * Telegram answers 429 to 30% of sends: about 3 per second against a 0.1/s threshold, and
 * enough 429s in a 5m window at scale 40 (over 20) for the rate to mean something. The window
 * starts full of healthy history, so it passes 0.1/s within seconds.
 *
 *   1m 429s -> pending ~1m10s, firing ~6m10s      9m healthy -> resolves
 */
export default defineScenario({
  name: 'telegram-rate-limit',
  system: 'piyasa',
  description: 'Telegram rate-limits 30% of sends: TelegramRateLimitHit notifies warnings',
  duration: '10m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '8m', fault: fault.telegram429('worker', 0.3) }],
  expect: [
    expectAlert('TelegramRateLimitHit').toFire({ fireAfter: '5m', detectWithin: '1m' }),
    expectAlert('TelegramRateLimitHit').toNotify('warnings'),
    expectAlert('TelegramRateLimitHit').toResolve(),
  ],
});
