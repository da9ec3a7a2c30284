import { waitFor } from '../../stack/wait-for.ts';

/** Enough counted while held to tell a proxy that kept working from one that stopped. */
const ENOUGH = 20;

/**
 * For the proxy tests: once another thread has counted a first `what` in `counter[0]`, holds this
 * thread's event loop busy for `holdMs` (or until it counted ENOUGH more), as a busy main thread
 * holds it: no timer and no socket of this thread is served meanwhile. Returns what it counted.
 */
export async function countWhileHeld(counter: Int32Array, holdMs: number, what: string): Promise<number> {
  await waitFor(`a first ${what}`, async () => ({ value: Atomics.load(counter, 0) > 0 ? true : undefined, seen: `no ${what} yet` }), { timeoutMs: 10_000, pollMs: 10 });
  const before = Atomics.load(counter, 0);
  const until = performance.now() + holdMs;
  while (performance.now() < until && Atomics.load(counter, 0) < before + ENOUGH);
  return Atomics.load(counter, 0) - before;
}
