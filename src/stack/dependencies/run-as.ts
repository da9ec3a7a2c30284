import { readFileSync } from 'node:fs';
import { FiredrillError } from '../../errors.ts';

export interface UnprivilegedUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The user a server that refuses root (PostgreSQL) runs as: ourselves when we are not root, else
 * the system's `postgres` account (Debian's postgresql package creates it).
 */
export function unprivilegedUser(account = 'postgres'): UnprivilegedUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // /etc/passwd is `name:password:uid:gid:...`, one account per line.
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${account}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new FiredrillError('ENVIRONMENT', `PostgreSQL refuses to run as root and there is no '${account}' user to run it as; install Debian's postgresql package (it creates one) or run firedrill as an unprivileged user`);
  }
  return { name: account, uid: Number(uid), gid: Number(gid) };
}
