import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { RestartableProcess } from '../restartable-process.ts';
import { findRedisServer } from './dependency-binaries.ts';

const run = promisify(execFile);

/** A real Redis on a loopback port, without persistence: a cache that a restart empties, as in production. */
export function redisServer(name: string, options: { port: number; runDir: string }): RestartableProcess {
  const binaries = findRedisServer();
  return new RestartableProcess({
    name: `redis ${name}`,
    port: options.port,
    launch: () => ({
      name: `redis ${name}`,
      command: binaries.server,
      args: ['--port', String(options.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.runDir, '--protected-mode', 'yes'],
      logFile: path.join(options.runDir, `redis-${name}.log`),
    }),
    probe: async () => {
      const answer = await run(binaries.cli, ['-h', '127.0.0.1', '-p', String(options.port), 'ping'], { timeout: 1_000 }).then(
        (r) => r.stdout.trim(),
        (e: { stderr?: string; message: string }) => (e.stderr ?? e.message).trim(),
      );
      return answer === 'PONG' ? { value: true, seen: 'PONG' } : { seen: answer || 'no answer' };
    },
  });
}
