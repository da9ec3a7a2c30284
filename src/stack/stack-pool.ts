import { setMaxListeners } from 'node:events';
import { describeError } from '../errors.ts';

/** One unit of pool work: a drill on a stack of its own. */
export interface PoolJob<T> {
  readonly name: string;
  /** Expected wall time. The longest jobs start first, so the pool's wall time approaches the longest one. */
  readonly estimateMs: number;
  run(signal: AbortSignal): Promise<T>;
}

export interface PoolOptions {
  /** How many jobs run at once. */
  readonly jobs: number;
  readonly signal?: AbortSignal;
  readonly onStart?: (name: string, running: number) => void;
}

/**
 * Runs jobs with at most `jobs` at a time, longest first. The first failure stops the pool: no new
 * job starts, the running ones are aborted (each tears its own stack down), and the failure is
 * rethrown once they have. Results come back in input order; a job that never ran yields undefined.
 */
export async function runPool<T>(work: readonly PoolJob<T>[], options: PoolOptions): Promise<(T | undefined)[]> {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new RangeError(`a pool needs at least 1 job slot, got ${options.jobs}`);
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
  let running = 0;
  const slot = async () => {
    while (next < order.length && !abort.signal.aborted) {
      const { job, index } = order[next++]!;
      running += 1;
      options.onStart?.(job.name, running);
      try {
        results[index] = await job.run(abort.signal);
      } catch (error) {
        failure ??= { error };
        abort.abort(new Error(`${job.name} failed: ${describeError(error)}`));
      } finally {
        running -= 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, order.length) }, slot));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failure) throw failure.error;
  return results;
}
