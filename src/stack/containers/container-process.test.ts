import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../wait-for.ts';
import { ContainerProcess } from './container-process.ts';
import { BASE_IMAGE } from './images.ts';

// Needs the Docker engine and the base image (`npm run images`), as the containers stack does.
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-container-process-'));
const containers: string[] = [];

/** A container that prints a numbered line every 100 ms. */
function counting(): string {
  const id = execFileSync('docker', ['run', '--detach', BASE_IMAGE, 'sh', '-c', 'trap "exit 0" TERM; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.1; done'], { encoding: 'utf8' }).trim();
  containers.push(id);
  return id;
}

/** The pids of the `docker logs --follow` processes that follow `id`. */
function followersOf(id: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('docker logs --follow') && line.includes(id))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const lastNumber = (logFile: string) => Math.max(0, ...[...readFileSync(logFile, 'utf8').matchAll(/line (\d+)/g)].map((m) => Number(m[1])));

/** Until the log holds a line numbered past `after`. */
const logGrowsPast = (logFile: string, after: number) =>
  waitFor(`${path.basename(logFile)} to log past line ${after}`, async () => {
    const last = lastNumber(logFile);
    return last > after ? { value: last, seen: `line ${last}` } : { seen: `line ${last}` };
  }, { timeoutMs: 15_000, pollMs: 50 });

afterAll(() => {
  if (containers.length > 0) execFileSync('docker', ['rm', '--force', ...containers], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
});

describe('a container seen as a process', () => {
  it('keeps running, and its log keeps growing, when its log follower ends while the container runs', async () => {
    const id = counting();
    const logFile = path.join(dir, 'follower-killed.log');
    const container = await ContainerProcess.follow('counter', id, logFile);
    const before = await logGrowsPast(logFile, 0);
    const [follower] = followersOf(id);
    expect(follower).toBeDefined();
    process.kill(follower!, 'SIGKILL');
    await waitFor('the follower to be followed again', async () => {
      const now = followersOf(id);
      return now.length > 0 && !now.includes(follower!) ? { value: true, seen: `followers ${now.join(',')}` } : { seen: `followers ${now.join(',') || 'none'}` };
    }, { timeoutMs: 15_000, pollMs: 50 });
    await logGrowsPast(logFile, before + 5);
    expect(container.running).toBe(true);
    expect(container.unexpectedTrouble()).toBeUndefined();
    await container.stop();
    expect(container.running).toBe(false);
    expect(container.unexpectedTrouble()).toBeUndefined();
    expect(followersOf(id)).toEqual([]);
  });

  it('reports the exit of the container itself, with its exit code and last log line', async () => {
    const id = counting();
    const logFile = path.join(dir, 'container-killed.log');
    const container = await ContainerProcess.follow('counter', id, logFile);
    await logGrowsPast(logFile, 0);
    execFileSync('docker', ['kill', id], { stdio: 'ignore' });
    await container.exited;
    expect(container.running).toBe(false);
    expect(container.unexpectedTrouble()).toMatch(new RegExp(`^counter container ${id.slice(0, 12)} exited \\(code 137\\); last line: line \\d+$`));
    await waitFor('the follower to end', async () => (followersOf(id).length === 0 ? { value: true, seen: 'none' } : { seen: followersOf(id).join(',') }), { timeoutMs: 15_000, pollMs: 50 });
  });

  it('says nothing is wrong when a fault stops it on purpose', async () => {
    const id = counting();
    const container = await ContainerProcess.follow('counter', id, path.join(dir, 'expected.log'));
    container.expectExit();
    execFileSync('docker', ['kill', id], { stdio: 'ignore' });
    await container.exited;
    expect(container.running).toBe(false);
    expect(container.unexpectedTrouble()).toBeUndefined();
  });
});
