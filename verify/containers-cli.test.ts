// `--stack containers` as users run it: a missing engine is exit 2 before anything starts, and
// Ctrl-C in the middle of a drill (faults active) takes every container down and reverts every fault.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_LABEL } from '../src/stack/containers/compose-projects.ts';
import { waitFor } from '../src/stack/wait-for.ts';
import { descendantsSeen, survivors } from './process-helpers.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tmpDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-containers-cli-'));
  temporary.push(dir);
  return dir;
};

/** The containers, running or not, of every compose project a firedrill process with this pid brought up. */
const containersOf = (pid: number) =>
  spawnSync('docker', ['ps', '--all', '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}} {{.Names}}`], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => new RegExp(`^firedrill-[a-z0-9]+-${pid}-\\d+ `).test(line));

describe('firedrill run --stack containers', () => {
  it('exits 2 before anything starts when no Docker engine answers, saying how to start one', () => {
    const tmp = tmpDir();
    const run = spawnSync(process.execPath, [BIN, 'run', '--stack', 'containers', 'api-outage', '--json', path.join(tmp, 'r.json')], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp, DOCKER_HOST: `unix://${path.join(tmp, 'no-engine.sock')}` },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^firedrill: --stack containers needs a Docker engine, and none answers \(.*\): install Debian's docker.io and docker-compose .* start the engine \(dockerd &\)/);
    expect(readdirSync(tmp).filter((d) => !d.startsWith('tsx-'))).toEqual([]); // no run directory, no result (tsx keeps its cache here)
  }, 60_000); // a CLI start: seconds on a loaded machine

  it('on Ctrl-C with faults active, exits 130 with every container removed, every fault reverted and nothing left running', async () => {
    const tmp = tmpDir();
    const child = spawn(process.execPath, [BIN, 'run', '--stack', 'containers', 'api-outage', '--json', path.join(tmp, 'r.json')], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor('the drill to start on its containers', async () => (stderr.includes('> api-outage: stack ready') ? { value: true, seen: '' } : { seen: stderr.slice(-300) || 'nothing yet' }), {
        timeoutMs: 90_000,
        pollMs: 100,
      });
      // Piyasa's services name an image: on containers they run in it, beside Prometheus and Alertmanager.
      expect(containersOf(child.pid!).map((line) => line.split(' ')[1]!.replace(/^.*_([\w-]+)_1$/, '$1')).sort()).toEqual(['alertmanager', 'prometheus', 'service-api', 'service-worker']);
      // api-outage kills the API's container (rule time 4m): wait for the fault so that it is active at Ctrl-C.
      const api = containersOf(child.pid!).find((line) => line.endsWith('_service-api_1'))!.split(' ')[1]!;
      const apiState = () => spawnSync('docker', ['inspect', '--format', '{{.State.Status}}', api], { encoding: 'utf8' }).stdout.trim();
      await waitFor('the kill fault to take the API container down', async () => (apiState() === 'running' ? { seen: 'api container running' } : { value: true, seen: apiState() }), {
        timeoutMs: 60_000,
        pollMs: 100,
      });
      const before = descendantsSeen(child.pid!);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('SIGINT: reverting faults and stopping the stack');
      expect(containersOf(child.pid!)).toEqual([]);
      expect(await survivors(before)).toEqual([]);
      expect(readdirSync(tmp).filter((d) => d.startsWith('firedrill-'))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 180_000);
});
