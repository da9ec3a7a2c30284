import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PostgresDependency } from '../../config/define-config.ts';
import { FiredrillError } from '../../errors.ts';
import { RestartableProcess } from '../restartable-process.ts';
import { findPostgres } from './dependency-binaries.ts';
import { dataHomeFor } from './data-home.ts';
import { postgresTemplate } from './postgres-template.ts';
import { unprivilegedUser } from './run-as.ts';

const run = promisify(execFile);

/**
 * Settings for a throwaway cluster: durability off (the data dies with the run), small memory so
 * many stacks fit at once, loopback only.
 */
const THROWAWAY_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '16MB',
  max_connections: '100',
  log_min_messages: 'warning',
};

export interface StartedPostgres {
  readonly process: RestartableProcess;
  /** postgres://postgres@127.0.0.1:<port>/<database>: a DSN straight to the server, past any proxy. */
  dsn(database?: string): string;
}

/**
 * A real PostgreSQL on a loopback port with its data in the run directory, run as an unprivileged
 * user (PostgreSQL refuses root): a copy of a cluster made once per run, then the configured
 * databases and init SQL. Its own restarts keep the data, as a real server's do.
 */
export async function startPostgres(
  name: string,
  config: PostgresDependency,
  options: { port: number; runDir: string; signal?: AbortSignal; onProcess?: (process: RestartableProcess) => void; onStop?: (stop: () => Promise<void>) => void },
): Promise<StartedPostgres> {
  const binaries = findPostgres();
  const user = unprivilegedUser();
  const template = await postgresTemplate(binaries, user);
  const home = dataHomeFor(options.runDir, user, `firedrill-postgres-${name}-`);
  // Registered before the server's own stop: stops run newest first, so the data goes after the server.
  options.onStop?.(async () => {
    home.remove();
    template.release();
  });
  const data = path.join(home.dir, `postgres-${name}`);
  // cp -a keeps the owner and the 0700 mode PostgreSQL insists on. Not spawnSync: the copy takes
  // tens of milliseconds, through which every other drill's engine and pollers would stand still.
  const copy = spawnResult(await run('cp', ['-a', template.data, data]).catch((e: unknown) => e));
  if (!copy.ok) throw new FiredrillError('ENVIRONMENT', `could not copy the PostgreSQL template to ${data}: ${copy.output}`);
  const settings = { ...THROWAWAY_SETTINGS, ...config.settings, listen_addresses: '127.0.0.1', unix_socket_directories: data, port: String(options.port) };
  const process = new RestartableProcess({
    name: `postgres ${name}`,
    port: options.port,
    launch: () => ({
      name: `postgres ${name}`,
      command: binaries.postgres,
      args: ['-D', data, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
      logFile: path.join(options.runDir, `postgres-${name}.log`),
      ...(user ? { user } : {}),
      stopSignal: 'SIGINT', // fast shutdown: SIGTERM would wait for every pooled client to leave
    }),
    probe: async () => {
      const ready = spawnResult(await run(binaries.pgIsready, ['-h', '127.0.0.1', '-p', String(options.port), '-t', '1']).catch((e: unknown) => e));
      return ready.ok ? { value: true, seen: 'accepting connections' } : { seen: ready.output || 'not accepting connections' };
    },
  });
  options.onProcess?.(process);
  await process.start(options.signal);
  const psql = async (database: string, args: string[]) => {
    const result = spawnResult(await run(binaries.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(options.port), '-U', 'postgres', '-d', database, ...args]).catch((e: unknown) => e));
    if (!result.ok) throw new FiredrillError('ENVIRONMENT', `postgres ${name}: psql ${args.join(' ')} failed: ${result.output}`);
  };
  for (const database of config.databases ?? []) await psql('postgres', ['-c', `CREATE DATABASE "${database}"`]);
  for (const file of config.init ?? []) await psql(config.databases?.[0] ?? 'postgres', ['-f', file]);
  return { process, dsn: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${options.port}/${database}?sslmode=disable` };
}

function spawnResult(outcome: unknown): { ok: boolean; output: string } {
  const o = outcome as { stdout?: string; stderr?: string; code?: unknown };
  const output = `${o.stderr ?? ''}${o.stdout ?? ''}`.trim().split('\n').at(-1) ?? '';
  return { ok: o.code === undefined, output };
}
