import { chownSync, mkdirSync, mkdtempSync } from 'node:fs';
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
let template: Promise<string> | undefined;

/** The data directory of a fresh cluster (superuser `postgres`, trust auth), made once and removed at exit. */
export function postgresTemplate(binaries: PostgresBinaries, user: UnprivilegedUser | undefined): Promise<string> {
  template ??= initdb(binaries, user).catch((error: unknown) => {
    template = undefined; // the next stack tries again, with the same error if nothing changed
    throw error;
  });
  return template;
}

async function initdb(binaries: PostgresBinaries, user: UnprivilegedUser | undefined): Promise<string> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-postgres-template-'));
  trackRunDir(scratch);
  const dir = dataHomeFor(scratch, user, 'firedrill-postgres-template-').dir;
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
