import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isExecutable, searchPath } from '../../config/which.ts';
import { FiredrillError } from '../../errors.ts';
import { findBinary } from '../binaries.ts';

const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
  readonly pgIsready: string;
  readonly psql: string;
}

/** PostgreSQL's server tools: $POSTGRES_BIN_DIR, else the newest of Debian's /usr/lib/postgresql/<version>/bin, else PATH. */
export function findPostgres(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const inDir = (dir: string): PostgresBinaries | undefined => {
    const tools = { postgres: path.join(dir, 'postgres'), initdb: path.join(dir, 'initdb'), pgIsready: path.join(dir, 'pg_isready'), psql: path.join(dir, 'psql') };
    return Object.values(tools).every(isExecutable) ? tools : undefined;
  };
  if (env.POSTGRES_BIN_DIR) {
    const found = inDir(env.POSTGRES_BIN_DIR);
    if (!found) throw new FiredrillError('ENVIRONMENT', `POSTGRES_BIN_DIR=${env.POSTGRES_BIN_DIR} does not hold postgres, initdb, pg_isready and psql; fix the path or unset it`);
    return found;
  }
  const versions = existsSync(DEBIAN_POSTGRES_ROOT) ? readdirSync(DEBIAN_POSTGRES_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const found = inDir(path.join(DEBIAN_POSTGRES_ROOT, version, 'bin'));
    if (found) return found;
  }
  const onPath = searchPath(['postgres'], env);
  const found = onPath ? inDir(path.dirname(onPath)) : undefined;
  if (found) return found;
  throw new FiredrillError('ENVIRONMENT', 'PostgreSQL server not found; install it with: sudo apt-get install postgresql (or run npm run setup as root), or set POSTGRES_BIN_DIR');
}

/** A Debian package's binary by its Debian name or upstream name, or $VARIABLE. */
export function findTool(variable: string, names: readonly string[], debianPackage: string, env: NodeJS.ProcessEnv = process.env): string {
  return findBinary(variable, names, env, `install it with: sudo apt-get install ${debianPackage} (or run npm run setup as root), or set ${variable}`);
}

export const findRedisServer = (env?: NodeJS.ProcessEnv) => ({
  server: findTool('REDIS_SERVER_BIN', ['redis-server'], 'redis-server', env),
  cli: findTool('REDIS_CLI_BIN', ['redis-cli'], 'redis-tools', env),
});
