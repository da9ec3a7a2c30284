// The README's Python example (fixtures/python-shop), and a copy of it with one alert broken.
import path from 'node:path';
import { editedCopy, type ProjectCopy } from './project-copy.ts';

export const PYTHON_SHOP = path.resolve('fixtures/python-shop');

/** ShopSlow's threshold as the example writes it, and as the broken copy raises it tenfold. */
export const SHOP_SLOW_THRESHOLD = { sound: '[5m]))) > 0.5', broken: '[5m]))) > 5' } as const;

/** A copy of the example whose ShopSlow can no longer fire (500 ms raised to 5 s): the gate must fail in the drill that needs it. */
export const brokenPythonShop = (): ProjectCopy =>
  editedCopy(PYTHON_SHOP, [{ file: 'alerts.yml', from: SHOP_SLOW_THRESHOLD.sound, to: SHOP_SLOW_THRESHOLD.broken }]);
