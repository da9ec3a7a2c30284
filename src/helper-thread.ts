import { Worker } from 'node:worker_threads';

/**
 * A worker thread of firedrill's own (its traffic, its proxies), beside a main thread too busy to
 * keep their pace. It never holds the process open by itself: whoever waits on it holds it with
 * their own timer. `onGone` hears once that it is gone, from its error or its exit.
 */
export class HelperThread<Request, Reply> {
  readonly #worker: Worker;
  #gone = false;

  constructor(entry: URL, onReply: (reply: Reply) => void, onGone: (cause: Error) => void) {
    // Not this process's flags: `--input-type` or `--eval` (a script run with `node -e`) would stop the thread loading.
    this.#worker = new Worker(entry, { execArgv: [] });
    const gone = (cause: Error) => {
      if (this.#gone) return;
      this.#gone = true;
      onGone(cause);
    };
    this.#worker.on('message', onReply);
    this.#worker.on('error', gone);
    this.#worker.on('exit', (code) => gone(new Error(`it exited with code ${code}`)));
    // After the listeners: adding a 'message' listener holds the process again.
    this.#worker.unref();
  }

  /** Hands `request` to the thread; throws what `postMessage` throws (a request that cannot be copied). */
  post(request: Request): void {
    this.#worker.postMessage(request);
  }

  terminate(): void {
    void this.#worker.terminate();
  }
}
