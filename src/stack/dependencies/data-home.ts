import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { trackRunDir } from '../process-registry.ts';
import type { UnprivilegedUser } from './run-as.ts';

/** Where a server run as another user keeps its data, and how to remove it when that is not the run directory. */
export interface DataHome {
  readonly dir: string;
  remove(): void;
}

/** World-traversable places a server's data can go when the preferred one cannot be reached by its user. */
const FALLBACKS = ['/tmp', '/var/tmp'];

/** Whether `user` may pass through every directory from the root down to `dir`. */
export function reachableBy(dir: string, user: UnprivilegedUser): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const { mode, uid, gid } = statSync(current);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * `preferred` (the run directory, made traversable) when the server's user can reach it; else,
 * when TMPDIR sits in a directory only its owner may enter (a home directory, a 0700 temporary
 * directory), a directory of its own under /tmp, removed by `remove()` or at exit.
 */
export function dataHomeFor(preferred: string, user: UnprivilegedUser | undefined, prefix: string): DataHome {
  chmodSync(preferred, 0o711);
  if (!user || reachableBy(preferred, user)) return { dir: preferred, remove: () => undefined };
  const base = FALLBACKS.find((dir) => reachableBy(dir, user)) ?? FALLBACKS[0]!;
  const dir = mkdtempSync(path.join(base, prefix));
  chmodSync(dir, 0o711);
  const tracked = trackRunDir(dir);
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      tracked.release();
    },
  };
}
