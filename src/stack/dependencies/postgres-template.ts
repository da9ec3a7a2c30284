import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FiredrillError } from '../../errors.ts';
import { trackRunDir } from '../process-registry.ts';
import { dataHomeFor } from './data-home.ts';
import type { PostgresBinaries } from './dependency-binaries.ts';
import type { UnprivilegedUser } from './run-as.ts';

const run = promisify(execFile);

/** One initialised cluster per firedrill process, copied for every stack: initdb costs seconds of CPU, a copy a fraction. */
let template: { data: Promise<string>; dirs: string[]; users: number } | undefined;

export interface PostgresTemplate {
  /** The data directory of a fresh cluster (superuser `postgres`, trust auth), to copy. */
  readonly data: string;
  /** Done with it: the last user out removes it (a test process may end without exit hooks). */
  release(): void;
}

/** The process's template cluster, made on first use and removed when no started PostgreSQL uses it any more (or at exit). */
export async function postgresTemplate(binaries: PostgresBinaries, user: UnprivilegedUser | undefined): Promise<PostgresTemplate> {
  if (!template) {
    const made: { data: Promise<string>; dirs: string[]; users: number } = { data: Promise.resolve(''), dirs: [], users: 0 };
    made.data = initdb(binaries, user, (dir) => made.dirs.push(dir)).catch((error: unknown) => {
      if (template === made) template = undefined; // the next stack tries again, with the same error if nothing changed
      throw error;
    });
    template = made;
  }
  const current = template;
  current.users += 1;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    current.users -= 1;
    if (current.users > 0 || template !== current) return;
    template = undefined;
    for (const dir of current.dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { data: await current.data, release };
  } catch (error) {
    release();
    throw error;
  }
}

async function initdb(binaries: PostgresBinaries, user: UnprivilegedUser | undefined, made: (dir: string) => void): Promise<string> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-postgres-template-'));
  trackRunDir(scratch);
  made(scratch);
  const dir = dataHomeFor(scratch, user, 'firedrill-postgres-template-').dir;
  if (dir !== scratch) made(dir);
  const data = path.join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) chownSync(data, user.uid, user.gid);
  try {
    await run(binaries.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      cwd: dir,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    throw new FiredrillError('ENVIRONMENT', `initdb failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
  return data;
}
