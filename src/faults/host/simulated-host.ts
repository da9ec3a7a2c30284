import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { badInput, describeError, FiredrillError } from '../../errors.ts';
import { DataFilesystem } from './data-filesystem.ts';
import { HostActivity } from './host-activity.ts';
import { HEALTHY_BASELINE, HostConditionsModel } from './host-conditions.ts';
import { hostFaultProblems, type HostFault } from './host-fault.ts';
import { procDiskstats, procLoadavg, procMeminfo, procMounts, procStat, udevDiskRecord, udevDiskRecordName } from './procfs-files.ts';
import { TmpfsMount } from './tmpfs-mount.ts';
import { writeAtomically, writeAtomicallyAside } from './write-atomically.ts';

export interface SimulatedHostOptions {
  /** Default 2. */
  readonly cpus?: number;
  /** MemTotal; default 8 GiB. */
  readonly memoryBytes?: number;
}

/** About every 100 ms; how long a tick really took is measured, never assumed. */
const TICK_MS = 100;
/** Small enough that a full disk costs little RAM, big enough that one page is well under 0.1%. */
const DATA_FILESYSTEM_BYTES = 64 * 1024 * 1024;
/** Room for the procfs files and their temp copies, a few kilobytes in all. */
const PROC_FILESYSTEM_BYTES = 1024 * 1024;
/** The mountpoint label node_exporter reports for the data filesystem. */
export const DATA_MOUNTPOINT = '/data';

/**
 * A host that exists only as files: firedrill writes the procfs files node_exporter reads and moves
 * their counters in real time, so the real node_exporter exports CPU, memory, disk-IO, load and
 * disk-space series that faults can push past alert thresholds without touching the machine.
 * @example await using host = await SimulatedHost.create(dir); spawn('prometheus-node-exporter', [...host.nodeExporterArgs()])
 */
export class SimulatedHost implements AsyncDisposable {
  readonly #model: HostConditionsModel;
  readonly #activity: HostActivity;
  readonly #faults: HostFault[] = [];
  readonly #reverted = new Set<string>();
  /** Each procfs file's text as last written. */
  readonly #published = new Map<string, string>();
  #lastTickAt = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #tickInFlight: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;
  #failure: FiredrillError | undefined;

  private constructor(
    readonly dir: string,
    private readonly memoryBytes: number,
    cpus: number,
    private readonly filesystem: DataFilesystem | undefined,
    /** Why disk_fill cannot be drilled here (the tmpfs could not be mounted), or undefined when it can. */
    readonly diskFillUnavailable: string | undefined,
    /** The tmpfs under proc/, when one could be mounted: its writes never wait on the disk. */
    private readonly procTmpfs: TmpfsMount | undefined,
  ) {
    this.#model = new HostConditionsModel(cpus);
    this.#activity = new HostActivity(cpus, HEALTHY_BASELINE.load1);
  }

  /** Where the data filesystem's tmpfs is mounted on this machine (node_exporter reports it as /data), or undefined when none is. */
  get dataMountPath(): string | undefined {
    return this.filesystem?.path;
  }

  /** Mounts its tmpfs under `dir` (which the caller owns) where it can, writes the host's files, starts ticking. */
  static async create(dir: string, options: SimulatedHostOptions = {}): Promise<SimulatedHost> {
    const cpus = options.cpus ?? 2;
    const memoryBytes = options.memoryBytes ?? 8 * 1024 ** 3;
    if (!Number.isInteger(cpus) || cpus < 1) throw badInput(`SimulatedHostOptions.cpus: ${cpus} is not a whole number >= 1; write e.g. { cpus: 2 }`);
    if (!Number.isFinite(memoryBytes) || memoryBytes < 1024 * 1024) throw badInput(`SimulatedHostOptions.memoryBytes: ${memoryBytes} is below 1 MiB; write e.g. { memoryBytes: 8 * 1024 ** 3 }`);
    const root = await realpath(resolve(dir));
    // Where no tmpfs can be mounted, the files go to the disk, written through the thread pool.
    const procTmpfs = await TmpfsMount.mount(join(root, 'proc'), PROC_FILESYSTEM_BYTES).catch(() => undefined);
    let filesystem: DataFilesystem | undefined;
    try {
      for (const sub of ['proc/1', 'sys', 'udev', 'rootfs']) await mkdir(join(root, sub), { recursive: true });
      let unavailable: string | undefined;
      try {
        filesystem = await DataFilesystem.mount(join(root, 'rootfs', DATA_MOUNTPOINT), DATA_FILESYSTEM_BYTES);
      } catch (error) {
        unavailable = `the simulated host has no data filesystem: ${describeError(error)}`;
      }
      const host = new SimulatedHost(root, memoryBytes, cpus, filesystem, unavailable, procTmpfs);
      await writeFile(join(root, 'proc/1/mounts'), filesystem ? procMounts(DATA_MOUNTPOINT) : '');
      await writeFile(join(root, 'udev', udevDiskRecordName()), udevDiskRecord());
      await host.#tick();
      host.#schedule(TICK_MS);
      return host;
    } catch (error) {
      // The first failure is the one to report; a mount left by a failed unmount goes at exit.
      await Promise.allSettled([filesystem?.unmount(), procTmpfs?.unmount()]);
      throw error;
    }
  }

  /**
   * The flags node_exporter needs to read this host: its paths, and only the collectors it feeds.
   * sysfs is an empty directory (the cpu collector needs one; the real /sys would add the real CPUs'
   * throttle counts), and udev data is ours (the real one may be missing, which logs an error).
   */
  nodeExporterArgs(): string[] {
    return [
      `--path.procfs=${join(this.dir, 'proc')}`,
      `--path.sysfs=${join(this.dir, 'sys')}`,
      `--path.udev.data=${join(this.dir, 'udev')}`,
      ...(this.filesystem ? [`--path.rootfs=${join(this.dir, 'rootfs')}`] : []),
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.loadavg',
      '--collector.diskstats',
      ...(this.filesystem ? ['--collector.filesystem'] : []),
    ];
  }

  /** Puts `fault` in force from the next tick; of two faults of one kind, the newer one's level counts. */
  inject(fault: HostFault): void {
    this.#throwIfUnusable(`host fault ${fault.id}`);
    const problems = [...(typeof fault.id === 'string' && fault.id !== '' ? [] : ['id: empty; give the fault a name to revert it by']), ...hostFaultProblems(fault.kind, fault.params ?? {})];
    if (problems.length > 0) throw badInput(`host fault ${fault.id} (${fault.kind}): ${problems.join('; ')}`);
    if (this.#faults.some((f) => f.id === fault.id)) throw badInput(`host fault ${fault.id}: already in force; revert it first or give the new fault another id`);
    if (fault.kind === 'disk_fill' && this.diskFillUnavailable) throw new FiredrillError('ENVIRONMENT', `host fault ${fault.id} (disk_fill): ${this.diskFillUnavailable}`);
    this.#faults.push({ id: fault.id, kind: fault.kind, params: { ...fault.params } });
    this.#reverted.delete(fault.id);
  }

  /**
   * Ends fault `id` from the next tick; the remaining faults stay in force. Reverting twice, or after
   * stop(), is harmless, so every cleanup path can revert what it injected.
   */
  revert(id: string): void {
    const index = this.#faults.findIndex((f) => f.id === id);
    if (index >= 0) {
      this.#faults.splice(index, 1);
      this.#reverted.add(id);
    } else if (!this.#reverted.has(id)) {
      throw badInput(`host fault ${id}: no such fault; in force: ${this.#faults.map((f) => f.id).join(', ') || 'none'}`);
    }
  }

  /** Stops ticking and unmounts its tmpfs (proc/ and the data filesystem); removes nothing else. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#tickInFlight;
    try {
      if (this.filesystem) {
        // Listed without its tmpfs, /data would be statfs'd on the real disk beneath and report that.
        const unlistError = unlist(join(this.dir, 'proc/1/mounts'));
        await this.filesystem.unmount();
        if (unlistError) throw new FiredrillError('ENVIRONMENT', `simulated host at ${this.dir}: could not empty proc/1/mounts: ${unlistError.message}; stop node_exporter before the host`);
      }
    } finally {
      await this.procTmpfs?.unmount();
    }
    if (this.#failure) throw this.#failure;
  }

  #throwIfUnusable(what: string): void {
    if (this.#failure) throw this.#failure;
    if (this.#stopping) throw badInput(`${what}: the simulated host at ${this.dir} is stopped; inject faults before stop()`);
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      const startedAt = performance.now();
      this.#tickInFlight = this.#tick().then(
        () => {
          if (!this.#stopping) this.#schedule(Math.max(0, TICK_MS - (performance.now() - startedAt)));
        },
        (error: unknown) => {
          // Stale files would read as a frozen host (all rates 0), so the host ends loudly instead.
          this.#failure = new FiredrillError('ENVIRONMENT', `simulated host at ${this.dir} stopped ticking: ${describeError(error)}; keep its directory in place until stop()`, { cause: error });
        },
      );
    }, delayMs);
    // The host alone never keeps the process alive: whatever drills it holds the process open.
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const now = performance.now();
    const elapsedSeconds = (now - this.#lastTickAt) / 1000;
    this.#lastTickAt = now;
    const conditions = this.#model.next(this.#faults, elapsedSeconds);
    this.#activity.advance(conditions, elapsedSeconds);
    // Every write settles before the tick does, failed or not: stop() may remove the directory next.
    const writes = await Promise.allSettled([
      this.#publish('stat', procStat(this.#activity)),
      this.#publish('meminfo', procMeminfo(this.memoryBytes, conditions.memoryUsedPercent)),
      this.#publish('loadavg', procLoadavg(this.#activity)),
      this.#publish('diskstats', procDiskstats(this.#activity.disk)),
      this.filesystem?.fillTo(conditions.diskFillPercent),
    ]);
    const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Rewrites one procfs file when its text changed: meminfo, for one, stays the same until a memory fault. */
  async #publish(name: string, text: string): Promise<void> {
    if (this.#published.get(name) === text) return;
    const path = join(this.dir, 'proc', name);
    if (this.procTmpfs) writeAtomically(path, text);
    else await writeAtomicallyAside(path, text);
    this.#published.set(name, text);
  }
}

/** Empties a mounts file; the error when that failed, but none when its directory is already gone (it lists nothing either). */
function unlist(file: string): Error | undefined {
  try {
    writeAtomically(file, '');
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (error as Error);
  }
}
