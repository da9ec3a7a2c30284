// firedrill as a game day's tests run it: from a directory of their own (a game day's journal goes
// there), with a stand-in's variables, waited for without blocking the test's process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const BIN = path.resolve('bin/firedrill.mjs');

export interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** firedrill with `args` in `cwd`, with this process's environment, then `env`. */
export async function firedrillIn(cwd: string, args: string[], env: Record<string, string>): Promise<CommandRun> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout, stderr };
}
