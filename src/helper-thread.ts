import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadBundle } from './thread-bundle.ts';

/**
 * A worker thread of firedrill's own (its traffic, its proxies), beside a main thread too busy to
 * keep their pace. It never holds the process open by itself: whoever waits on it holds it with
 * their own timer. `onGone` hears once that it is gone, from its error or its exit, or from its
 * code failing to bundle.
 *
 * The thread runs its code bundled to one plain script, with no module loader of its own: a
 * TypeScript loader registered in a worker (`module.register`) starts loader threads and an
 * esbuild service there, and Node 20 has hangs at exit with loaders in workers (nodejs/node#53182;
 * firedrill saw a finished gate's exit wait forever on such a thread's teardown).
 */
export class HelperThread<Request, Reply> {
  #worker: Worker | undefined;
  /** Requests posted while the code is still being bundled, handed over in order once it runs. */
  readonly #queued: Request[] = [];
  #isGone = false;
  readonly #gone: (cause: Error) => void;

  constructor(entry: URL, onReply: (reply: Reply) => void, onGone: (cause: Error) => void) {
    this.#gone = (cause: Error) => {
      if (this.#isGone) return;
      this.#isGone = true;
      this.#queued.length = 0;
      onGone(cause);
    };
    threadBundle(fileURLToPath(entry)).then(
      (code) => {
        if (this.#isGone) return;
        try {
          // Not this process's flags: `--input-type` or `--eval` (a script run with `node -e`) would stop the thread loading.
          const worker = new Worker(code, { eval: true, execArgv: [] });
          worker.on('message', onReply);
          worker.on('error', this.#gone);
          worker.on('exit', (exitCode) => this.#gone(new Error(`it exited with code ${exitCode}`)));
          // After the listeners: adding a 'message' listener holds the process again.
          worker.unref();
          this.#worker = worker;
          for (const request of this.#queued.splice(0)) worker.postMessage(request);
        } catch (error) {
          this.#gone(error as Error);
        }
      },
      (error: Error) => this.#gone(new Error(`its code did not bundle: ${firstBuildError(error)}`)),
    );
  }

  /** Hands `request` to the thread; throws what `postMessage` throws (a request that cannot be copied), or that the thread is gone. */
  post(request: Request): void {
    if (this.#isGone) throw new Error('the thread is gone');
    if (this.#worker) this.#worker.postMessage(request);
    // A copy now, as postMessage makes one: the same refusal, and no later change of the caller's reaches the thread.
    else this.#queued.push(structuredClone(request));
  }

  /** Stops the thread; before it has loaded, it is gone at once and its queued requests with it. */
  terminate(): void {
    if (this.#worker) void this.#worker.terminate();
    else this.#gone(new Error('it was stopped before it loaded'));
  }
}

/** esbuild's first error with where it is (its message only says how many there were). */
function firstBuildError(error: Error): string {
  const [first] = (error as Error & { errors?: { text: string; location: { file: string; line: number } | null }[] }).errors ?? [];
  if (!first) return error.message.split('\n')[0] ?? error.message;
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}
