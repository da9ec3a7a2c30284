import type { HostConditions } from './host-conditions.ts';

/** Clock ticks per CPU per second in /proc/stat (the kernel's USER_HZ on every Linux architecture node_exporter runs on). */
export const USER_HZ = 100;

/** /proc/stat's columns, in the kernel's order. */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/**
 * How busy time divides among the non-idle modes, roughly a web server's. iowait stays 0: it is
 * idle time in the kernel's eyes, and a CPU fault should not depend on how a rule treats it.
 */
const BUSY_SPLIT: Readonly<Partial<Record<CpuMode, number>>> = { user: 0.7, nice: 0.01, system: 0.22, irq: 0.02, softirq: 0.05 };

/**
 * The data disk's workload per completed op: 40% reads of 16 KiB, 60% writes of 8 KiB (servers
 * write more than they read: logs, databases), service times of a fast SSD.
 */
export const DISK_WORKLOAD = {
  readShare: 0.4,
  readSectors: 32,
  writeSectors: 16,
  readMs: 0.4,
  writeMs: 0.2,
  readsMergedPerRead: 0.1,
  writesMergedPerWrite: 0.3,
  flushesPerWrite: 0.02,
  flushMs: 0.5,
} as const;

/** The /proc/diskstats counters firedrill moves; discards stay 0 and nothing is ever in flight between ticks. */
export interface DiskCounters {
  readsCompleted: number;
  readsMerged: number;
  sectorsRead: number;
  readMs: number;
  writesCompleted: number;
  writesMerged: number;
  sectorsWritten: number;
  writeMs: number;
  ioMs: number;
  weightedIoMs: number;
  flushes: number;
  flushMs: number;
}

/** The kernel's time constants for load5 and load15 (5 and 15 minutes). */
const LOAD5_SECONDS = 300;
const LOAD15_SECONDS = 900;

/**
 * The host's cumulative state: counters and running averages, advanced by the real time that
 * passed, so rates computed per wall second (as Prometheus does) come out exact however late a
 * tick fires. Counters are kept as fractions and written out rounded down, so they never go back.
 */
export class HostActivity {
  /** Jiffies per CPU, indexed like CPU_MODES. */
  readonly cpuJiffies: number[][];
  readonly disk: DiskCounters = {
    readsCompleted: 0,
    readsMerged: 0,
    sectorsRead: 0,
    readMs: 0,
    writesCompleted: 0,
    writesMerged: 0,
    sectorsWritten: 0,
    writeMs: 0,
    ioMs: 0,
    weightedIoMs: 0,
    flushes: 0,
    flushMs: 0,
  };
  load1: number;
  load5: number;
  load15: number;

  constructor(cpus: number, initialLoad: number) {
    this.cpuJiffies = Array.from({ length: cpus }, () => CPU_MODES.map(() => 0));
    this.load1 = this.load5 = this.load15 = initialLoad;
  }

  advance(conditions: HostConditions, elapsedSeconds: number): void {
    const dt = Math.max(0, elapsedSeconds);
    this.cpuJiffies.forEach((jiffies, cpu) => {
      const busy = clampShare((conditions.cpuBusyPercent[cpu] ?? 0) / 100);
      const ticks = USER_HZ * dt;
      CPU_MODES.forEach((mode, i) => {
        jiffies[i]! += ticks * (mode === 'idle' ? 1 - busy : busy * (BUSY_SPLIT[mode] ?? 0));
      });
    });
    this.#advanceDisk(Math.max(0, conditions.diskOpsPerSecond) * dt, dt);
    // load1 is the fault's level as it stands; load5 and load15 chase it as the kernel's averages would.
    this.load1 = Math.max(0, conditions.load1);
    this.load5 = chase(this.load5, this.load1, dt, LOAD5_SECONDS);
    this.load15 = chase(this.load15, this.load1, dt, LOAD15_SECONDS);
  }

  #advanceDisk(ops: number, dt: number): void {
    const w = DISK_WORKLOAD;
    const reads = ops * w.readShare;
    const writes = ops - reads;
    const flushes = writes * w.flushesPerWrite;
    const d = this.disk;
    d.readsCompleted += reads;
    d.readsMerged += reads * w.readsMergedPerRead;
    d.sectorsRead += reads * w.readSectors;
    d.readMs += reads * w.readMs;
    d.writesCompleted += writes;
    d.writesMerged += writes * w.writesMergedPerWrite;
    d.sectorsWritten += writes * w.writeSectors;
    d.writeMs += writes * w.writeMs;
    d.flushes += flushes;
    d.flushMs += flushes * w.flushMs;
    const busyMs = reads * w.readMs + writes * w.writeMs + flushes * w.flushMs;
    // A disk cannot be busy for longer than the time that passed; queued time still counts as weighted.
    d.ioMs += Math.min(busyMs, dt * 1000);
    d.weightedIoMs += busyMs;
  }
}

function clampShare(share: number): number {
  return Math.max(0, Math.min(1, share));
}

function chase(average: number, target: number, dt: number, timeConstantSeconds: number): number {
  return target + (average - target) * Math.exp(-dt / timeConstantSeconds);
}
