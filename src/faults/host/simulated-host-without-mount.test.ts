// Where no tmpfs can be mounted (no root, no mount command), the host runs without disk space and says so.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../../stack/wait-for.ts';
import { SimulatedHost } from './simulated-host.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('runs without a data filesystem when the mount fails, and refuses disk_fill with the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'firedrill-host-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = process.env.PATH;
  // An empty PATH makes the mount command unfindable: the real failure a machine without util-linux has.
  process.env.PATH = join(dir, 'no-bin');
  let host: SimulatedHost;
  try {
    host = await SimulatedHost.create(dir);
  } finally {
    process.env.PATH = path;
  }
  cleanups.push(() => host.stop());
  const mountPath = join(host.dir, 'rootfs', 'data');
  expect(host.diskFillUnavailable).toBe(`the simulated host has no data filesystem: could not mount a tmpfs at ${mountPath}: no mount command on PATH; install util-linux`);
  expect(host.nodeExporterArgs().filter((arg) => /filesystem|rootfs/.test(arg))).toEqual([]);
  expect(readFileSync(join(host.dir, 'proc', '1', 'mounts'), 'utf8')).toBe('');
  expect(() => host.inject({ id: 'full', kind: 'disk_fill', params: { percent: 90 } })).toThrow(`host fault full (disk_fill): ${host.diskFillUnavailable}`);
  host.inject({ id: 'cpu', kind: 'cpu', params: { percent: 90 } });
  // Its procfs files live on the disk then, and it keeps them moving: the CPU counters grow.
  const jiffies = () => readFileSync(join(host.dir, 'proc', 'stat'), 'utf8').split('\n')[0]!.split(/\s+/).slice(1).reduce((sum, n) => sum + Number(n), 0);
  const before = jiffies();
  await waitFor('proc/stat rewritten on the disk', async () => (jiffies() > before ? { value: true, seen: `${jiffies()} jiffies` } : { seen: `still ${before} jiffies` }), { timeoutMs: 5_000, pollMs: 50 });
  expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(` ${join(host.dir, 'proc')} `);
});
