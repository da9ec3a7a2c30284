import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

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
  #gone = false;
  #terminated = false;

  constructor(entry: URL, onReply: (reply: Reply) => void, onGone: (cause: Error) => void) {
    const gone = (cause: Error) => {
      if (this.#gone) return;
      this.#gone = true;
      onGone(cause);
    };
    bundled(entry).then(
      (code) => {
        if (this.#terminated) return;
        // Not this process's flags: `--input-type` or `--eval` (a script run with `node -e`) would stop the thread loading.
        const worker = new Worker(code, { eval: true, execArgv: [] });
        worker.on('message', onReply);
        worker.on('error', gone);
        worker.on('exit', (code) => gone(new Error(`it exited with code ${code}`)));
        // After the listeners: adding a 'message' listener holds the process again.
        worker.unref();
        this.#worker = worker;
        for (const request of this.#queued.splice(0)) worker.postMessage(request);
      },
      (error: Error) => gone(new Error(`its code did not bundle: ${firstBuildError(error)}`)),
    );
  }

  /** Hands `request` to the thread; throws what `postMessage` throws (a request that cannot be copied). */
  post(request: Request): void {
    if (this.#worker) this.#worker.postMessage(request);
    else {
      structuredClone(request); // the same refusal postMessage would give, now rather than later
      this.#queued.push(request);
    }
  }

  terminate(): void {
    this.#terminated = true;
    void this.#worker?.terminate();
  }
}

const bundles = new Map<string, Promise<string>>();

/** `entry` and everything it imports as one CommonJS script, made once per process (about 0.1 s). */
function bundled(entry: URL): Promise<string> {
  const file = fileURLToPath(entry);
  let code = bundles.get(file);
  if (!code) {
    code = build({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' }).then((result) => {
      const [output] = result.outputFiles;
      if (!output) throw new Error(`esbuild wrote nothing for ${file}`);
      return output.text;
    });
    bundles.set(file, code);
  }
  return code;
}

/** esbuild's first error with where it is (its message only says how many there were). */
function firstBuildError(error: Error): string {
  const [first] = (error as Error & { errors?: { text: string; location: { file: string; line: number } | null }[] }).errors ?? [];
  if (!first) return error.message.split('\n')[0] ?? error.message;
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}
