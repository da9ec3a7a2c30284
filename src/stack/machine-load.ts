import { readFileSync } from 'node:fs';
import os from 'node:os';

// The pool's shares are what stacks were measured to cost on some machine, or estimated from
// their parts. On a slower machine, or one busy with work outside firedrill, the same stacks cost
// more than their shares say (seen: a new machine whose stacks cost 1.6 times what they did on
// the reference one ran the test suite's gates at load 18, and THE_BOT's healthy drills fired
// their latency alerts). So the ledger also asks the machine how busy it is.

/** Jiffies the kernel has counted busy and in all, summed over every CPU (the first line of /proc/stat). */
export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** The `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is inside user). */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n', 1)[0] ?? '';
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu' || fields.length < 5) return undefined;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.slice(1, 9).map(Number) as number[];
  if (![user, nice, system, idle].every((n) => Number.isFinite(n))) return undefined;
  const busy = user! + nice! + system! + irq + softirq + steal;
  return { busy, total: busy + idle! + iowait };
}

export function readProcStat(): CpuTimes | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined; // not Linux: the ledger alone decides
  }
}

/** A base reading older than this many windows is not used: see busyCores. */
const STALE_WINDOWS = 2;

/**
 * Cores busy on the whole machine on average over roughly the last `windowMs`, every process
 * counted (firedrill's, its stacks', and anything else). Readings are kept as they are taken;
 * `busyCores()` compares now with the newest reading at least `windowMs` old (or, early on, the
 * oldest if it is at least `minWindowMs` old; never one older than two windows). It answers
 * 'unknown' until there is one, and undefined where /proc/stat cannot be read.
 */
export class MachineLoad {
  readonly #samples: { atMs: number; times: CpuTimes }[] = [];

  constructor(
    readonly windowMs = 3_000,
    readonly minWindowMs = 1_000,
    readonly cores = os.availableParallelism(),
    private readonly read: () => CpuTimes | undefined = readProcStat,
    private readonly now: () => number = Date.now,
  ) {}

  busyCores(): number | 'unknown' | undefined {
    const times = this.read();
    if (times === undefined) return undefined;
    const atMs = this.now();
    this.#samples.push({ atMs, times });
    let base = 0;
    for (let i = 0; i < this.#samples.length; i++) if (atMs - this.#samples[i]!.atMs >= this.windowMs) base = i;
    this.#samples.splice(0, base);
    // A reading is taken only when one is asked for: after a while with none (a run's timers held
    // up, or nobody asking), the newest reading old enough may be tens of seconds old, and an
    // average over it would dilute stacks that started since (a ready stack's claim counts on top
    // of the load for one window only). Read afresh.
    if (atMs - this.#samples[0]!.atMs > STALE_WINDOWS * this.windowMs) this.#samples.shift();
    const from = this.#samples[0]!;
    if (atMs - from.atMs < this.minWindowMs) return 'unknown';
    const total = times.total - from.times.total;
    return total > 0 ? ((times.busy - from.times.busy) / total) * this.cores : 'unknown';
  }
}

let shared: MachineLoad | undefined;

/** This process's readings of the machine's load (one set, so that every waiting claim adds to it). */
export function machineLoad(): MachineLoad {
  return (shared ??= new MachineLoad());
}
