// The README's Python example (fixtures/python-shop), and a copy of it with one alert broken.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PYTHON_SHOP = path.resolve('fixtures/python-shop');

/** ShopSlow's threshold as the example writes it, and as the broken copy raises it tenfold. */
export const SHOP_SLOW_THRESHOLD = { sound: '[5m]))) > 0.5', broken: '[5m]))) > 5' } as const;

export interface ProjectCopy {
  readonly dir: string;
  remove(): void;
}

/**
 * A copy of the example whose ShopSlow can no longer fire (500 ms raised to 5 s): the gate must
 * fail in the drill that needs it. Inside the repo, so that the copy's `from 'firedrill'`
 * resolves to this package, as it does in a user's project.
 */
export function brokenPythonShop(): ProjectCopy {
  mkdirSync('.firedrill', { recursive: true });
  const parent = mkdtempSync(path.resolve('.firedrill/python-shop-'));
  const dir = path.join(parent, 'broken');
  cpSync(PYTHON_SHOP, dir, { recursive: true, filter: (source) => path.basename(source) !== '.firedrill' });
  const alerts = path.join(dir, 'alerts.yml');
  const text = readFileSync(alerts, 'utf8');
  if (!text.includes(SHOP_SLOW_THRESHOLD.sound)) throw new Error(`${alerts}: ShopSlow's threshold '${SHOP_SLOW_THRESHOLD.sound}' is not there to break; update verify/python-shop-project.ts`);
  writeFileSync(alerts, text.replace(SHOP_SLOW_THRESHOLD.sound, SHOP_SLOW_THRESHOLD.broken));
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
