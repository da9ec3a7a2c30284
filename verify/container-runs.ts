// What the files whose drills run in containers share: firedrill run as a user runs it, and what
// its compose projects left behind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_LABEL } from '../src/stack/containers/compose-projects.ts';

const BIN = path.resolve('bin/firedrill.mjs');

export interface Outcome {
  readonly code: number | null;
  /** firedrill's own lines, and the signal that ended it, if one did. */
  readonly stderr: string;
  readonly pid: number;
  /** Its temporary directory, where its run directories went. */
  readonly tmp: string;
}

/** firedrill in `cwd` with `args`, with a temporary directory of its own (`tmp`) for its run directories. */
export function firedrill(cwd: string, args: string[], tmp: string): Promise<Outcome> {
  mkdirSync(tmp);
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  let stderr = '';
  // Its own lines, not the live progress (`  <drill>  3s/11s ...`), which would push them out.
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString().split('\n').filter((l) => !/^  \S+  (\d+s\/\d+s|settling)/.test(l)).join('\n')).slice(-3000)));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, stderr: `${stderr}${signal ? ` (ended by ${signal})` : ''}`, pid: child.pid!, tmp })));
}

/** What is left, running or not, of the compose projects a firedrill process brought up: containers and networks. */
export const leftBehind = (pid: number): string[] =>
  ['ps --all', 'network ls'].flatMap((what) =>
    spawnSync('docker', [...what.split(' '), '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}}`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((project) => new RegExp(`^firedrill-[a-z0-9]+-${pid}-\\d+$`).test(project)),
  );
