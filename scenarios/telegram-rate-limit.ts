import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * Telegram answers 429 to 10% of sends: about 1 per second against a 0.1/s threshold. The
 * rate is over a 5m window that starts out clean, so it takes about a minute to pass 0.1/s.
 *
 *   1m 429s -> pending ~2m, firing ~7m      9m healthy -> resolves
 */
export default defineScenario({
  name: 'telegram-rate-limit',
  system: 'piyasa',
  description: 'Telegram rate-limits 10% of sends: TelegramRateLimitHit notifies warnings',
  duration: '10m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '8m', fault: fault.telegram429('worker', 0.1) }],
  expect: [
    expectAlert('TelegramRateLimitHit').toFire({ detectWithin: '3m' }),
    expectAlert('TelegramRateLimitHit').toNotify('warnings'),
    expectAlert('TelegramRateLimitHit').toResolve(),
  ],
});
