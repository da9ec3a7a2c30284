import { hostFaultLevel, type HostFault, type HostFaultKind } from './host-fault.ts';
import { Wobble } from './wobble.ts';

/** What the simulated host is doing at one moment: levels, from which the counters advance. */
export interface HostConditions {
  /** Per CPU, the percent of time not idle. */
  readonly cpuBusyPercent: readonly number[];
  /** Percent of MemTotal that is not MemAvailable. */
  readonly memoryUsedPercent: number;
  /** Reads plus writes completed per second on the data disk. */
  readonly diskOpsPerSecond: number;
  readonly load1: number;
  /** Percent of the data filesystem's blocks in use. */
  readonly diskFillPercent: number;
}

/**
 * The healthy host: CPU about 15% busy, memory 40% used, about 50 disk ops/s, load1 0.3,
 * data filesystem 30% full. CPU wobbles by about 2 points (never more than 5) per CPU and disk
 * IO by about 5% (never more than 15%), so baselines are not flat lines yet stay far below
 * any sane alert threshold. A fault's level is exact: noise applies only to the baseline.
 */
export const HEALTHY_BASELINE = {
  cpuBusyPercent: 15,
  memoryUsedPercent: 40,
  diskOpsPerSecond: 50,
  load1: 0.3,
  diskFillPercent: 30,
} as const;

const CPU_WOBBLE = { spread: 2, limit: 5 } as const;
const DISK_WOBBLE_SHARE = { spread: 0.05, limit: 0.15 } as const;

/** Turns the faults in force into the host's conditions, tick by tick. */
export class HostConditionsModel {
  readonly #cpuWobbles: Wobble[];
  readonly #diskWobble = new Wobble(DISK_WOBBLE_SHARE.spread, DISK_WOBBLE_SHARE.limit);

  constructor(cpus: number) {
    this.#cpuWobbles = Array.from({ length: cpus }, () => new Wobble(CPU_WOBBLE.spread, CPU_WOBBLE.limit));
  }

  /**
   * `faults` in the order they were injected. When two faults of one kind are in force, the newest
   * wins: a drill that escalates (cpu 85, then cpu 95) means the later level, and reverting the
   * newer one falls back to the older, still in force.
   */
  next(faults: readonly HostFault[], elapsedSeconds: number): HostConditions {
    const level = (kind: HostFaultKind) => {
      const newest = faults.findLast((fault) => fault.kind === kind);
      return newest === undefined ? undefined : hostFaultLevel(newest);
    };
    // Wobbles advance every tick, faulted or not, so the baseline resumes mid-drift after a revert.
    const cpuNoise = this.#cpuWobbles.map((wobble) => wobble.next(elapsedSeconds));
    const diskNoise = this.#diskWobble.next(elapsedSeconds);
    const cpu = level('cpu');
    const diskOps = level('disk_io');
    return {
      cpuBusyPercent: cpuNoise.map((noise) => cpu ?? HEALTHY_BASELINE.cpuBusyPercent + noise),
      memoryUsedPercent: level('memory') ?? HEALTHY_BASELINE.memoryUsedPercent,
      diskOpsPerSecond: diskOps ?? HEALTHY_BASELINE.diskOpsPerSecond * (1 + diskNoise),
      load1: level('load') ?? HEALTHY_BASELINE.load1,
      diskFillPercent: level('disk_fill') ?? HEALTHY_BASELINE.diskFillPercent,
    };
  }
}
