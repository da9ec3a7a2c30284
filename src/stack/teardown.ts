// Teardowns that must run on SIGINT/SIGTERM. The CLI installs the signal handlers; library
// users (Vitest) get the synchronous last-resort kill from process-registry instead.
type Teardown = () => Promise<void>;
const pending = new Set<Teardown>();

/** Registers a teardown; call the returned function once it has run normally. */
export function onTeardown(teardown: Teardown): () => void {
  pending.add(teardown);
  return () => pending.delete(teardown);
}

/** Runs every registered teardown once, concurrently, never throwing. */
export async function runAllTeardowns(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map((t) => t()));
}
