// Runs the gate runs the suite reads, each on its own pool of isolated stacks, side by side: the
// gate on the fixtures as they are, then the gate again in three shards merged into one result;
// and, meanwhile, the gate on a copy broken by every mutation of piyasa-mutations.ts.
// Test files read the results through `inject` (see shared-gates.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    gateResultFile: string;
    mutationGateResultFile: string;
    shardGateResultFiles: string[];
    mergedGateResultFile: string;
    mergedJUnitFile: string;
  }
}

/** Runs a command to its end; anything but exit 0 or 1 (a gate verdict) fails the suite with the command's last lines. */
function run(what: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-3000)));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0 || code === 1) resolve();
      else reject(new Error(`${what} exited ${code ?? signal}; last output:\n${tail}`));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  // For working on a file that reads no gate result: `FIREDRILL_VERIFY_GATES=skip npx vitest run verify/x.test.ts`.
  if (process.env.FIREDRILL_VERIFY_GATES === 'skip') return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-verify-'));
  const gateResultFile = path.join(dir, 'gate.json');
  const mutationGateResultFile = path.join(dir, 'mutation-gate.json');
  const shardGateResultFiles = [1, 2, 3].map((i) => path.join(dir, `gate-shard-${i}.json`));
  const mergedGateResultFile = path.join(dir, 'gate-merged.json');
  const mergedJUnitFile = path.join(dir, 'gate-merged.xml');
  // The mutation gate takes longest (a lengthened window brings an hour of history to four drills):
  // the shards start as soon as the plain gate is done, while its last drills still run.
  await Promise.all([
    run('firedrill gate', ['bin/firedrill.mjs', 'gate', '--engine', 'builtin', '--json', gateResultFile]).then(async () => {
      await Promise.all(shardGateResultFiles.map((file, i) => run(`firedrill gate --shard ${i + 1}/3`, ['bin/firedrill.mjs', 'gate', '--engine', 'builtin', '--shard', `${i + 1}/3`, '--json', file])));
      await run('firedrill merge', ['bin/firedrill.mjs', 'merge', ...shardGateResultFiles, '--json', mergedGateResultFile, '--junit', mergedJUnitFile]);
    }),
    run('the mutation gate', ['--import', 'tsx', 'scripts/mutation-gate.ts', '--combined', '--json', mutationGateResultFile]),
  ]);
  project.provide('gateResultFile', gateResultFile);
  project.provide('mutationGateResultFile', mutationGateResultFile);
  project.provide('shardGateResultFiles', shardGateResultFiles);
  project.provide('mergedGateResultFile', mergedGateResultFile);
  project.provide('mergedJUnitFile', mergedJUnitFile);
  return () => rmSync(dir, { recursive: true, force: true });
}
