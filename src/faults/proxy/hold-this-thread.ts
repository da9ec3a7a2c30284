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

/** Traffic another thread sends through a proxy, counting in the counter it was given: its upstream, and how to aim it at the proxy and end it. */
export interface OtherThreadTraffic<Upstream> {
  readonly upstream: Upstream;
  start(proxyPort: number): void;
  stop(): Promise<number>;
}

/** Starts `traffic` in another thread through the proxy `proxyFor` starts, and counts what passes while this thread is held for `holdMs` (`countWhileHeld`). */
export async function countThroughProxyWhileHeld<Upstream>(
  traffic: (counter: Int32Array) => Promise<OtherThreadTraffic<Upstream>>,
  proxyFor: (upstream: Upstream) => Promise<{ readonly port: number } & AsyncDisposable>,
  holdMs: number,
  what: string,
): Promise<number> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const other = await traffic(counter);
  await using proxy = await proxyFor(other.upstream);
  other.start(proxy.port);
  try {
    return await countWhileHeld(counter, holdMs, what);
  } finally {
    await other.stop();
  }
}
