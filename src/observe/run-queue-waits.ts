import { readFileSync } from 'node:fs';

// A scrape that ran out its timeout while a fault reached its target may be the fault's doing (a
// service whose metrics wait on its database) or the machine's: everything of a stack shares this
// machine's cores, and a burst of work (PostgreSQL's backends exiting at a stop, another stack
// starting) can keep a service off the CPU for longer than a compressed timeout. Linux counts how
// long each thread waited on a run queue while it was runnable; a part whose main thread (a Node
// service's event loop) waited half a timeout during a scrape, and waited more than it ran, was
// held off the CPU, which production, with its database on another machine, never does. Only the
// main thread is read (every thread of every part, several times a second, would cost more than
// the stacks): a part that serves from other threads (a Go exporter, a server behind a wrapper
// process) shows little wait there, so its timeouts are never excused by this, only missed.

/** Nanoseconds the main thread has run and waited, runnable, since it started. */
export interface SchedStat {
  readonly ranNs: number;
  readonly waitNs: number;
}

/**
 * The first two fields of /proc/<pid>/schedstat: the process' main thread's time on a CPU and on
 * a run queue. Undefined where it cannot be read (gone, not Linux, a kernel without scheduler
 * statistics).
 */
export function schedStat(pid: number): SchedStat | undefined {
  try {
    const [ran, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(ran) && Number.isFinite(wait) ? { ranNs: ran!, waitNs: wait! } : undefined;
  } catch {
    return undefined;
  }
}

interface Sample extends SchedStat {
  readonly atMs: number;
  readonly pid: number;
}

/** What the main thread did over a span: milliseconds run and waited, runnable, for a CPU. */
export interface ThreadSpan {
  readonly ranMs: number;
  readonly waitedMs: number;
}

/** Reads every part's run-queue wait every `periodMs` while a drill runs. */
export class RunQueueSampler {
  readonly #samples = new Map<string, Sample[]>();
  #timer: NodeJS.Timeout | undefined;
  #stopped: RunQueueWaits | undefined;

  constructor(
    /** The current main process of each part, by part name (a restart changes it). */
    private readonly pids: () => ReadonlyMap<string, number>,
    private readonly periodMs: number,
    private readonly read: (pid: number) => SchedStat | undefined = schedStat,
  ) {}

  start(): void {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.periodMs);
    this.#timer.unref();
  }

  /** Stops sampling, with one last sample, and returns what was read; the same answer every time. */
  stop(): RunQueueWaits {
    if (this.#stopped) return this.#stopped;
    clearInterval(this.#timer);
    this.#sample();
    this.#stopped = new RunQueueWaits(this.#samples, this.periodMs);
    return this.#stopped;
  }

  #sample(): void {
    const atMs = Date.now();
    for (const [part, pid] of this.pids()) {
      const stat = this.read(pid);
      if (stat === undefined) continue;
      const samples = this.#samples.get(part) ?? [];
      samples.push({ atMs, pid, ...stat });
      this.#samples.set(part, samples);
    }
  }
}

/** A drill's run-queue samples, read back. */
export class RunQueueWaits {
  constructor(
    private readonly samples: ReadonlyMap<string, readonly Sample[]>,
    /** How often it was meant to sample: a pair of samples further apart than the span and a period at each end says too little of the span. */
    private readonly periodMs: number,
  ) {}

  /**
   * What the part's main thread did from the last sample at or before `fromMs` to the first at or
   * after `toMs` (a little more than the span, by up to a sampling period at each end). Undefined
   * when no such pair of samples of one process exists (not sampled then, or restarted in between)
   * or the pair is further apart than that (firedrill itself was held up).
   */
  during(part: string, fromMs: number, toMs: number): ThreadSpan | undefined {
    const samples = this.samples.get(part) ?? [];
    const before = samples.findLast((s) => s.atMs <= fromMs);
    const after = samples.find((s) => s.atMs >= toMs);
    if (!before || !after || before.pid !== after.pid) return undefined;
    if (after.atMs - before.atMs > toMs - fromMs + 2 * this.periodMs) return undefined;
    return { ranMs: (after.ranNs - before.ranNs) / 1e6, waitedMs: (after.waitNs - before.waitNs) / 1e6 };
  }
}
