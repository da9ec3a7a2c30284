import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LISTENING } from './helper-port.ts';
import { onProcessExit } from './on-process-exit.ts';
import { helperBundle } from './helper-bundle.ts';

/** A helper killed by SIGKILL is gone in milliseconds; this bounds an exit's wait on one stuck in the kernel. */
const DEATH_WAIT_MS = 2_000;

/** Every helper process now running, killed on every exit path of this one. */
const running = new Set<ChildProcess>();

/**
 * A process of firedrill's own (its traffic, its proxies), beside a main thread too busy to keep
 * their pace. It never holds this process open by itself: whoever waits on it holds it with their
 * own timer. `onGone` hears once that it is gone, from its error or its exit, or from its code
 * failing to bundle.
 *
 * A process, not a worker thread: Node.js joins every worker thread as the process exits, and the
 * teardown of firedrill's proxy thread was seen spinning at full CPU for ever in CI (gdb: the
 * worker in Environment::CleanupHandles, the main thread joining it), twice in six runs of the
 * suite, each time after the gate had written its result. Nothing joins a child process: the exit
 * kills it. Its code is bundled to one plain script (helper-bundle.ts), fed to `node -` with no
 * TypeScript loader.
 */
export class HelperProcess<Request, Reply> {
  #child: ChildProcess | undefined;
  /** Requests posted before the helper listens (while its code is bundled, or it loads), handed over in order once it does. */
  readonly #queued: Request[] = [];
  #listening = false;
  #isGone = false;
  readonly #gone: (cause: Error) => void;

  constructor(entry: URL, onReply: (reply: Reply) => void, onGone: (cause: Error) => void) {
    this.#gone = (cause: Error) => {
      if (this.#isGone) return;
      this.#isGone = true;
      this.#queued.length = 0;
      onGone(cause);
    };
    helperBundle(fileURLToPath(entry)).then(
      (code) => {
        if (this.#isGone) return;
        try {
          this.#child = this.#start(code, onReply);
        } catch (error) {
          this.#gone(error as Error);
        }
      },
      (error: Error) => this.#gone(new Error(`its code did not bundle: ${firstBuildError(error)}`)),
    );
  }

  #start(code: string, onReply: (reply: Reply) => void): ChildProcess {
    // No NODE_OPTIONS: a user's `--require` or `--import` is for their own programs, not this script.
    const { NODE_OPTIONS: _userOptions, ...env } = process.env;
    const child = spawn(process.execPath, ['-'], { stdio: ['pipe', 'ignore', 'inherit', 'ipc'], serialization: 'advanced', env });
    running.add(child);
    onProcessExit(killHelpersNow);
    child.on('message', (message) => {
      if (this.#listening || message !== LISTENING) return onReply(message as Reply);
      this.#listening = true;
      for (const request of this.#queued.splice(0)) child.send(request as object);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A request sent as the helper died: its exit, which follows, says why.
      if (error.code !== 'ERR_IPC_CHANNEL_CLOSED') this.#gone(error);
    });
    child.on('exit', (exitCode, signal) => {
      running.delete(child);
      this.#gone(new Error(exitCode === null ? `it was killed by ${signal}` : `it exited with code ${exitCode}`));
    });
    // A helper that died before reading its code says why by its exit.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(code);
    // After the listeners: a 'message' listener holds the channel again.
    child.unref();
    child.channel?.unref();
    return child;
  }

  /** Hands `request` to the helper; throws what sending throws (a request that cannot be copied), or that the helper is gone. */
  post(request: Request): void {
    if (this.#isGone) throw new Error('the helper process is gone');
    if (this.#listening) this.#child!.send(request as object);
    // A copy now, as sending makes one: the same refusal, and no later change of the caller's reaches the helper.
    else this.#queued.push(structuredClone(request));
  }

  /** Stops the helper; before it has started, it is gone at once and its queued requests with it. */
  terminate(): void {
    if (this.#child) this.#child.kill('SIGKILL');
    else this.#gone(new Error('it was stopped before it loaded'));
  }
}

/**
 * Kills every helper and waits, briefly, until each has ended: on an exit path (synchronous), so
 * that no helper outlives this process, not even for the moment its channel takes to close.
 */
function killHelpersNow(): void {
  for (const child of running) child.kill('SIGKILL');
  const until = Date.now() + DEATH_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const child of running) {
    while (child.pid !== undefined && stillRunning(child.pid) && Date.now() < until) Atomics.wait(pause, 0, 0, 2);
  }
}

/** Not yet exited: this process has not collected it, so an exited helper stays a zombie until then. */
function stillRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** esbuild's first error with where it is (its message only says how many there were). */
function firstBuildError(error: Error): string {
  const [first] = (error as Error & { errors?: { text: string; location: { file: string; line: number } | null }[] }).errors ?? [];
  if (!first) return error.message.split('\n')[0] ?? error.message;
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}
