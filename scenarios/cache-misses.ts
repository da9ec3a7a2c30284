import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The cache misses 80% of lookups (normally 10%). The hit ratio over 5m falls under 50%
 * once 4/7 of the window is missing, about 3m in, and LowCacheHitRate waits 10m more.
 *
 *   1m misses -> pending ~4m, firing ~14m      16m warm again -> resolves (2m past firing: the page goes out)
 *   21m traffic ends, the window all warm: the hit ratio crossed back over 50% while lookups
 *       still came (see api-errors.ts: a ratio over a window that empties of traffic can cross back)
 */
export default defineScenario({
  name: 'cache-misses',
  system: 'piyasa',
  description: 'The cache misses 80% of lookups: LowCacheHitRate notifies warnings',
  duration: '21m',
  traffic: [apiTraffic(20)],
  faults: [{ at: '1m', hold: '15m', fault: fault.cacheMissRatio('api', 0.8) }],
  expect: [
    expectAlert('LowCacheHitRate').toFire({ fireAfter: '10m' }),
    expectAlert('LowCacheHitRate').toNotify('warnings'),
    expectAlert('LowCacheHitRate').toResolve(),
  ],
});
