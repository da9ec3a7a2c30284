// The helper process's end of its channel to the firedrill process that started it
// (helper-process.ts): requests in, replies out. Imported only by a helper's entry.

/** Sent once the entry listens: a request sent before would find no listener, and be lost. */
export const LISTENING = 'firedrill-helper-listening';

/** What a helper's entry gets: the requests, each as it comes, and a way to answer. */
export interface HelperPort<Request, Reply> {
  onRequest(handle: (request: Request) => void): void;
  reply(reply: Reply): void;
}

/**
 * The channel of this helper process, whose code is `entry` (named when it is run on its own).
 * The firedrill process handles Ctrl-C and SIGTERM for both (they reach the whole process group):
 * it reverts faults and stops stacks through this helper before it ends it, so this one ignores
 * them. It ends with its channel, when the firedrill process is gone however it went.
 */
export function helperPort<Request, Reply>(entry: string): HelperPort<Request, Reply> {
  const send = process.send?.bind(process);
  if (!send) throw new Error(`${entry} runs in the helper process helper-process.ts starts, not on its own`);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
  process.on('disconnect', () => process.exit(0));
  return {
    onRequest(handle) {
      process.on('message', (request) => handle(request as Request));
      send(LISTENING);
    },
    reply(reply) {
      send(reply);
    },
  };
}
