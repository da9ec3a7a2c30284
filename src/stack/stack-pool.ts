import { setMaxListeners } from 'node:events';
import { describeError } from '../errors.ts';

/** One unit of pool work: a drill on a stack of its own. */
export interface PoolJob<T> {
  readonly name: string;
  /** Expected wall time. The longest jobs start first, so the pool's wall time approaches the longest one. */
  readonly estimateMs: number;
  /** Its share of the pool's capacity while it runs (what its stack costs); default 1. */
  readonly weight?: number;
  run(signal: AbortSignal): Promise<T>;
}

export interface PoolOptions {
  /** What the running jobs' weights may add up to; a job heavier than it all still runs, alone. */
  readonly capacity: number;
  readonly signal?: AbortSignal;
  readonly onStart?: (name: string, running: number) => void;
}

/** What a pool did: the most jobs that ran at once. */
export interface PoolOutcome<T> {
  readonly results: (T | undefined)[];
  readonly peakRunning: number;
}

/**
 * Runs jobs longest first, starting the next whenever the running jobs' weights leave room for it
 * within `capacity` (in order: a heavy job is never overtaken). The first failure stops the pool:
 * no new job starts, the running ones are aborted (each tears its own stack down), and the failure
 * is rethrown once they have. Results come back in input order; a job that never ran yields undefined.
 */
export async function runPool<T>(work: readonly PoolJob<T>[], options: PoolOptions): Promise<PoolOutcome<T>> {
  if (!(options.capacity > 0)) throw new RangeError(`a pool needs a capacity above 0, got ${options.capacity}`);
  const abort = new AbortController();
  // Every stack, wait and engine of a run listens to it: many listeners are the design, not a leak.
  setMaxListeners(0, abort.signal);
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort(options.signal.reason);

  const order = work.map((job, index) => ({ job, index })).sort((a, b) => b.job.estimateMs - a.job.estimateMs || a.job.name.localeCompare(b.job.name));
  const results: (T | undefined)[] = work.map(() => undefined);
  let failure: { error: unknown } | undefined;
  let next = 0;
  let used = 0;
  let running = 0;
  let peakRunning = 0;
  const done: Promise<void>[] = [];
  let wake: () => void = () => {};
  const fits = () => {
    const weight = order[next]!.job.weight ?? 1;
    return running === 0 || used + weight <= options.capacity + 1e-9;
  };
  try {
    while (next < order.length && !abort.signal.aborted) {
      if (!fits()) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const { job, index } = order[next++]!;
      const weight = job.weight ?? 1;
      used += weight;
      running += 1;
      peakRunning = Math.max(peakRunning, running);
      options.onStart?.(job.name, running);
      done.push(
        job
          .run(abort.signal)
          .then((result) => {
            results[index] = result;
          })
          .catch((error: unknown) => {
            failure ??= { error };
            abort.abort(new Error(`${job.name} failed: ${describeError(error)}`));
          })
          .finally(() => {
            used -= weight;
            running -= 1;
            wake();
          }),
      );
    }
    await Promise.all(done);
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failure) throw failure.error;
  return { results, peakRunning };
}
