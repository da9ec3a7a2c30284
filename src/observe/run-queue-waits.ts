import { readFileSync } from 'node:fs';

// A scrape that ran out its timeout while a fault reached its target may be the fault's doing (a
// service whose metrics wait on its database) or the machine's: everything of a stack shares this
// machine's cores, and a burst of work (PostgreSQL's backends exiting at a stop, another stack
// starting) can keep a service off the CPU for longer than a compressed timeout. Linux counts how
// long each thread waited on a run queue while it was runnable; a part whose main thread (a Node
// service's event loop, a Go exporter's first thread) waited half a timeout during a scrape was
// held off the CPU, which production, with its database on another machine, never does.

/**
 * Nanoseconds the process' main thread has waited on a run queue since it started: the second
 * field of /proc/<pid>/schedstat. Undefined where it cannot be read (gone, not Linux, a kernel
 * without scheduler statistics).
 */
export function runQueueWaitNs(pid: number): number | undefined {
  try {
    const wait = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(wait) ? wait : undefined;
  } catch {
    return undefined;
  }
}

interface Sample {
  readonly atMs: number;
  readonly pid: number;
  readonly waitNs: number;
}

/** Reads every part's run-queue wait every `periodMs` while a drill runs. */
export class RunQueueSampler {
  readonly #samples = new Map<string, Sample[]>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    /** The current main process of each part, by part name (a restart changes it). */
    private readonly pids: () => ReadonlyMap<string, number>,
    private readonly periodMs: number,
    private readonly read: (pid: number) => number | undefined = runQueueWaitNs,
  ) {}

  start(): void {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.periodMs);
    this.#timer.unref();
  }

  /** Stops sampling, with one last sample, and returns what was read. */
  stop(): RunQueueWaits {
    clearInterval(this.#timer);
    this.#sample();
    return new RunQueueWaits(this.#samples);
  }

  #sample(): void {
    const atMs = Date.now();
    for (const [part, pid] of this.pids()) {
      const waitNs = this.read(pid);
      if (waitNs === undefined) continue;
      const samples = this.#samples.get(part) ?? [];
      samples.push({ atMs, pid, waitNs });
      this.#samples.set(part, samples);
    }
  }
}

/** A drill's run-queue samples, read back. */
export class RunQueueWaits {
  constructor(private readonly samples: ReadonlyMap<string, readonly Sample[]>) {}

  /**
   * Milliseconds the part's main thread waited for a CPU from the last sample at or before
   * `fromMs` to the first at or after `toMs` (a little more than the span, by up to a sampling
   * period at each end). Undefined when no such pair of samples of one process exists: not sampled
   * then, or restarted in between.
   */
  waitedMs(part: string, fromMs: number, toMs: number): number | undefined {
    const samples = this.samples.get(part) ?? [];
    const before = samples.findLast((s) => s.atMs <= fromMs);
    const after = samples.find((s) => s.atMs >= toMs);
    if (!before || !after || before.pid !== after.pid) return undefined;
    return (after.waitNs - before.waitNs) / 1e6;
  }
}

/** No samples at all: a stack whose processes firedrill cannot see (external). */
export const NO_RUN_QUEUE_WAITS = new RunQueueWaits(new Map());
