// The real node_exporter reads a SimulatedHost; every number here comes back through its /metrics.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type Probe } from '../../stack/wait-for.ts';
import { mountSource } from './tmpfs-mount.ts';
import type { HostFault } from './host-fault.ts';
import { sampleOf, startScrapedNodeExporter, type Scrape, type ScrapedNodeExporter } from './scraped-node-exporter.ts';
import { SimulatedHost } from './simulated-host.ts';

const FS = '{device="/dev/sda1",fstype="ext4",mountpoint="/data"}';
const DISK = '{device="sda"}';
const ENABLED_COLLECTORS = ['cpu', 'meminfo', 'loadavg', 'diskstats', 'filesystem'];
/** Rates are read over at least this much wall time, as a short rate() window would. */
const MIN_WINDOW_MS = 2_000;
const WAIT = { timeoutMs: 20_000, pollMs: 250 } as const;

let dir: string;
let host: SimulatedHost | undefined;
let exporter: ScrapedNodeExporter | undefined;
const injected: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-host-'));
  host = await SimulatedHost.create(dir);
  exporter = await startScrapedNodeExporter(host.nodeExporterArgs(), join(dir, 'node-exporter.log'));
}, 30_000);

afterEach(() => {
  // A failed assertion must not leave its fault in force for the next test.
  for (const id of injected.splice(0)) host?.revert(id);
});

afterAll(async () => {
  try {
    await exporter?.stop();
  } finally {
    await host?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);

function inject(fault: HostFault): void {
  host!.inject(fault);
  injected.push(fault.id);
}

function revert(id: string): void {
  host!.revert(id);
}

/** Busy percent as `100 - avg by (instance)(rate(node_cpu_seconds_total{mode="idle"}[..])) * 100` reads it. */
function cpuBusyPercent(a: Scrape, b: Scrape): number {
  const idle = [...b.samples.keys()].filter((series) => /^node_cpu_seconds_total\{cpu="\d+",mode="idle"\}$/.test(series));
  const meanIdleRate = idle.reduce((sum, series) => sum + perSecond(a, b, series), 0) / idle.length;
  return 100 - meanIdleRate * 100;
}

/** Counter delta divided by the real time between the scrapes. */
function perSecond(a: Scrape, b: Scrape, series: string): number {
  return (sampleOf(b, series) - sampleOf(a, series)) / ((b.atMs - a.atMs) / 1000);
}

function diskOpsPerSecond(a: Scrape, b: Scrape): number {
  return perSecond(a, b, `node_disk_reads_completed_total${DISK}`) + perSecond(a, b, `node_disk_writes_completed_total${DISK}`);
}

/**
 * Waits until a rate measured from one scrape to a later one, at least MIN_WINDOW_MS apart, lies
 * in [low, high]. The first scrape stays fixed, so a late tick skews less as the window grows.
 */
async function waitForRate(what: string, measure: (a: Scrape, b: Scrape) => number, low: number, high: number) {
  const a = await exporter!.scrape();
  return waitFor(
    `${what} in [${low}, ${high}]`,
    async (): Promise<Probe<{ value: number; a: Scrape; b: Scrape }>> => {
      const b = await exporter!.scrape();
      const spanMs = b.atMs - a.atMs;
      if (spanMs < MIN_WINDOW_MS) return { seen: `a window of ${Math.round(spanMs)} ms so far` };
      const value = measure(a, b);
      const seen = `${value.toFixed(3)} over ${(spanMs / 1000).toFixed(1)} s`;
      return value >= low && value <= high ? { value: { value, a, b }, seen } : { seen };
    },
    WAIT,
  );
}

/** Waits until a value read from one scrape lies in [low, high]; returns that scrape. */
async function waitForGauge(what: string, read: (s: Scrape) => number, low: number, high: number): Promise<Scrape> {
  return waitFor(
    `${what} in [${low}, ${high}]`,
    async (): Promise<Probe<Scrape>> => {
      const scrape = await exporter!.scrape();
      const value = read(scrape);
      return value >= low && value <= high ? { value: scrape, seen: String(value) } : { seen: String(value) };
    },
    WAIT,
  );
}

const memoryAvailableShare = (s: Scrape) => sampleOf(s, 'node_memory_MemAvailable_bytes') / sampleOf(s, 'node_memory_MemTotal_bytes');
const filesystemAvailShare = (s: Scrape) => sampleOf(s, `node_filesystem_avail_bytes${FS}`) / sampleOf(s, `node_filesystem_size_bytes${FS}`);
const load1 = (s: Scrape) => sampleOf(s, 'node_load1');

describe('SimulatedHost read by the real node_exporter', { timeout: 60_000 }, () => {
  it('exports a healthy baseline: CPU ~15%, memory 40%, ~50 disk ops/s, load 0.3, filesystem 30% full', async () => {
    await waitForRate('baseline CPU busy percent', cpuBusyPercent, 5, 30);
    const { a, b } = await waitForRate('baseline disk ops/s', diskOpsPerSecond, 30, 75);
    // Shares of deltas do not depend on timing: the documented 40/60 split, 16 KiB reads, 8 KiB writes.
    const reads = sampleOf(b, `node_disk_reads_completed_total${DISK}`) - sampleOf(a, `node_disk_reads_completed_total${DISK}`);
    const writes = sampleOf(b, `node_disk_writes_completed_total${DISK}`) - sampleOf(a, `node_disk_writes_completed_total${DISK}`);
    expect(reads / (reads + writes)).toBeCloseTo(0.4, 1);
    expect((sampleOf(b, `node_disk_read_bytes_total${DISK}`) - sampleOf(a, `node_disk_read_bytes_total${DISK}`)) / reads).toBeGreaterThan(16384 * 0.9);
    expect((sampleOf(b, `node_disk_written_bytes_total${DISK}`) - sampleOf(a, `node_disk_written_bytes_total${DISK}`)) / writes).toBeGreaterThan(8192 * 0.9);

    const s = await exporter!.scrape();
    expect(memoryAvailableShare(s)).toBeCloseTo(0.6, 3);
    expect(sampleOf(s, 'node_memory_MemTotal_bytes')).toBe(8 * 1024 ** 3);
    const classicUsed = ['MemFree', 'Buffers', 'Cached'].reduce((left, field) => left - sampleOf(s, `node_memory_${field}_bytes`), sampleOf(s, 'node_memory_MemTotal_bytes'));
    expect(classicUsed / sampleOf(s, 'node_memory_MemTotal_bytes')).toBeCloseTo(0.4, 3);
    expect([load1(s), sampleOf(s, 'node_load5'), sampleOf(s, 'node_load15')]).toEqual([0.3, 0.3, 0.3]);
    expect(sampleOf(s, `node_filesystem_size_bytes${FS}`)).toBe(64 * 1024 * 1024);
    expect(filesystemAvailShare(s)).toBeCloseTo(0.7, 3);
  });

  it('cpu 90% shows ~90% busy in the idle-jiffies rate, and back to baseline on revert', async () => {
    inject({ id: 'cpu-spike', kind: 'cpu', params: { percent: 90 } });
    await waitForRate('CPU busy percent under cpu 90', cpuBusyPercent, 85, 95);
    revert('cpu-spike');
    await waitForRate('CPU busy percent after revert', cpuBusyPercent, 5, 30);
  });

  it('memory 85% shows MemAvailable/MemTotal ~0.15, and back to 0.6 on revert', async () => {
    inject({ id: 'mem', kind: 'memory', params: { percent: 85 } });
    await waitForGauge('MemAvailable/MemTotal under memory 85', memoryAvailableShare, 0.149, 0.151);
    revert('mem');
    await waitForGauge('MemAvailable/MemTotal after revert', memoryAvailableShare, 0.599, 0.601);
  });

  it('disk_io 1500 shows reads+writes ~1500/s, and back to baseline on revert', async () => {
    inject({ id: 'io', kind: 'disk_io', params: { opsPerSecond: 1500 } });
    await waitForRate('disk ops/s under disk_io 1500', diskOpsPerSecond, 1350, 1650);
    revert('io');
    await waitForRate('disk ops/s after revert', diskOpsPerSecond, 30, 75);
  });

  it('load 4 sets load1 at once; load5 and load15 rise after it, slower; revert restores load1', async () => {
    inject({ id: 'load', kind: 'load', params: { load1: 4 } });
    await waitForGauge('node_load1 under load 4', load1, 4, 4);
    const s = await waitForGauge('node_load15 rising', (scrape) => sampleOf(scrape, 'node_load15'), 0.31, 4);
    expect(sampleOf(s, 'node_load5')).toBeGreaterThan(sampleOf(s, 'node_load15'));
    expect(sampleOf(s, 'node_load5')).toBeLessThan(4);
    revert('load');
    await waitForGauge('node_load1 after revert', load1, 0.3, 0.3);
  });

  it('disk_fill 90% shows avail/size ~0.10 on the real tmpfs, and back to 0.70 on revert', async () => {
    inject({ id: 'fill', kind: 'disk_fill', params: { percent: 90 } });
    const s = await waitForGauge('filesystem avail/size under disk_fill 90', filesystemAvailShare, 0.099, 0.101);
    expect(sampleOf(s, `node_filesystem_free_bytes${FS}`)).toBe(sampleOf(s, `node_filesystem_avail_bytes${FS}`));
    revert('fill');
    await waitForGauge('filesystem avail/size after revert', filesystemAvailShare, 0.699, 0.701);
  });

  it('of two faults of one kind the newest wins; reverting one leaves the others in force', async () => {
    inject({ id: 'mem-a', kind: 'memory', params: { percent: 85 } });
    inject({ id: 'fill', kind: 'disk_fill', params: { percent: 90 } });
    inject({ id: 'mem-b', kind: 'memory', params: { percent: 60 } });
    await waitForGauge('MemAvailable/MemTotal with mem-b newest', memoryAvailableShare, 0.399, 0.401);
    revert('mem-b');
    const s = await waitForGauge('MemAvailable/MemTotal back to mem-a', memoryAvailableShare, 0.149, 0.151);
    expect(filesystemAvailShare(s)).toBeCloseTo(0.1, 3);
    revert('mem-a');
    await waitForGauge('MemAvailable/MemTotal at baseline', memoryAvailableShare, 0.599, 0.601);
    expect(filesystemAvailShare(await exporter!.scrape())).toBeCloseTo(0.1, 3);
    revert('fill');
    revert('fill'); // twice is harmless
  });

  it('rejects bad faults with every problem, and unknown reverts, in one actionable line', () => {
    expect(() => host!.inject({ id: 'bad', kind: 'cpu', params: { percent: 120, pct: 1 } })).toThrow(
      'host fault bad (cpu): params.percent: 120 is out of range; write a number from 0 to 100, e.g. { percent: 90 }; params.pct: not a parameter of cpu; remove it (cpu takes percent)',
    );
    inject({ id: 'twice', kind: 'load', params: { load1: 1 } });
    expect(() => host!.inject({ id: 'twice', kind: 'cpu', params: { percent: 50 } })).toThrow('host fault twice: already in force; revert it first or give the new fault another id');
    expect(() => host!.revert('nope')).toThrow('host fault nope: no such fault; in force: twice');
  });

  it('rewrites a procfs file only when its text changes: meminfo stays put while stat moves', async () => {
    // Each rewrite renames a newly written file onto it: a new write time (an inode number alone may be reused).
    const inode = (name: string) => {
      const { ino, mtimeNs } = statSync(join(dir, 'proc', name), { bigint: true });
      return `${ino}@${mtimeNs}`;
    };
    const rewritten =
      (name: string, since: string) =>
      async (): Promise<Probe<string>> => {
        const now = inode(name);
        return { value: now !== since ? now : undefined, seen: `proc/${name} still inode ${now}` };
      };
    const meminfo = inode('meminfo');
    const once = await waitFor('proc/stat rewritten by a tick', rewritten('stat', inode('stat')), WAIT);
    await waitFor('proc/stat rewritten by another tick', rewritten('stat', once), WAIT);
    expect(inode('meminfo')).toBe(meminfo);
    inject({ id: 'mem-moves', kind: 'memory', params: { percent: 70 } });
    await waitFor('proc/meminfo rewritten under memory 70', rewritten('meminfo', meminfo), WAIT);
  });

  it("node_exporter's log shows no errors, and every enabled collector succeeds", async () => {
    const s = await exporter!.scrape();
    for (const collector of ENABLED_COLLECTORS) expect(sampleOf(s, `node_scrape_collector_success{collector="${collector}"}`), collector).toBe(1);
    expect(sampleOf(s, `node_disk_info{device="sda",major="8",minor="0",model="firedrill_simulated_disk",path="",revision="",serial="FIREDRILL0001",wwn=""}`)).toBe(1);
    const log = readFileSync(join(dir, 'node-exporter.log'), 'utf8').split('\n');
    expect(log.some((line) => line.includes('msg="Listening on"'))).toBe(true);
    // The only warning node_exporter gives is about running as root, which these tests do.
    expect(log.filter((line) => /level=(error|warn)/.test(line) && !line.includes('running as root'))).toEqual([]);
  });

  it('stop() unmounts both its tmpfs (proc/ and the data filesystem), is safe twice, and kills nothing else', async () => {
    const mountedHere = (path: string) => readFileSync('/proc/self/mounts', 'utf8').split('\n').some((line) => line.startsWith(`${mountSource()} ${path} tmpfs `));
    const paths = [host!.dataMountPath!, join(host!.dir, 'proc')];
    expect(paths.map(mountedHere)).toEqual([true, true]);
    await host!.stop();
    expect(paths.map(mountedHere)).toEqual([false, false]);
    await host!.stop();
    expect(exporter!.process.running).toBe(true);
    const s = await exporter!.scrape();
    // A node_exporter that outlives the host reports no filesystem, not the real disk beneath /data:
    // its mounts file went with the proc tmpfs (and was emptied before the data tmpfs went, for
    // the moment between the two unmounts).
    expect([...s.samples.keys()].filter((series) => series.startsWith('node_filesystem_size_bytes'))).toEqual([]);
    // The procfs files went with their tmpfs: nothing of the host's is left in memory.
    expect(existsSync(join(dir, 'proc', 'stat'))).toBe(false);
    expect(() => host!.inject({ id: 'late', kind: 'cpu', params: { percent: 50 } })).toThrow(`host fault late: the simulated host at ${host!.dir} is stopped; inject faults before stop()`);
    host!.revert('cpu-spike'); // harmless after stop: cleanup paths revert what they injected
  });
});
