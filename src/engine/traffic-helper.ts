import { FiredrillError } from '../errors.ts';
import { HelperProcess } from '../helper-process.ts';
import type { StreamClock, StreamsTally, StreamTarget } from './paced-stream.ts';
import type { LiveTraffic } from './traffic.ts';
import type { TrafficHelperReply, TrafficHelperRequest } from './traffic-helper-protocol.ts';

// The pacer's arrivals follow its event loop's timers. In firedrill's main thread, busy with stacks
// starting, Prometheus queries and verdicts (its event loop lagged 20 to 120 ms at the 99th
// percentile and up to 650 ms at moments beside the test suite's other gates), a stall held every
// arrival due meanwhile and then sent them at once, up to 50 a stream: the services saw bursts the
// scenario never asked for, and the latencies firedrill measured included its own lag. So the
// streams run in a helper process (helper-process.ts) whose event loop does nothing else; the main thread hands each run over
// and hears its counts (for live progress) and its tally at the end.

/** Loading the helper (bundling its code, then undici) takes a second or two on a busy machine; nothing after this means it cannot load. */
const LOAD_TIMEOUT_MS = 60_000;
/** After a run's timeline its last requests time out within seconds (paced-stream.ts); no tally after this means the helper is stuck. */
const FINISH_TIMEOUT_MS = 60_000;

const ENTRY = new URL('./traffic-helper-entry.ts', import.meta.url);

interface PendingRun {
  readonly live: LiveTraffic | undefined;
  readonly heard: { requests: number; failures: number };
  resolve(tally: StreamsTally): void;
  reject(error: Error): void;
}

/** A helper that runs traffic streams. The process has one (`sendTraffic`); tests start their own from another entry. */
export class TrafficHelper {
  readonly #helper: HelperProcess<TrafficHelperRequest, TrafficHelperReply>;
  readonly #runs = new Map<number, PendingRun>();
  readonly #loaded = loading();
  #seq = 0;
  #failure: Error | undefined;

  constructor(
    entry: URL = ENTRY,
    private readonly onStopped: () => void = () => undefined,
  ) {
    this.#helper = new HelperProcess(entry, (reply: TrafficHelperReply) => this.#receive(reply), (cause) => this.#stopped(cause));
    this.#loaded.promise.catch(() => undefined); // a failure to load is also each caller's, when it asks
    // Held: while a caller waits for the helper to load, it is what keeps the process alive.
    const loadDeadline = setTimeout(() => this.#stopped(new Error(`it did not load within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
    void this.#loaded.promise.finally(() => clearTimeout(loadDeadline)).catch(() => undefined);
  }

  /** Resolves once the helper has loaded: a timeline started after it loses no arrival to the loading. */
  get ready(): Promise<void> {
    return this.#loaded.promise;
  }

  /** Runs `targets` on `clock` in the helper, counting into `live` as answers come, until the clock ends or `signal` aborts; then every answer is in. */
  async run(targets: readonly StreamTarget[], clock: StreamClock, signal: AbortSignal, live?: LiveTraffic): Promise<StreamsTally> {
    await this.ready;
    if (this.#failure) throw this.#failure;
    // Stopped before it began: the helper would send the first arrival before it read the stop.
    if (signal.aborted) return { perStream: targets.map(() => ({ ok: 0, total: 0 })), statuses: {}, latenciesMs: [], dropped: 0 };
    const run = ++this.#seq;
    return new Promise((resolve, reject) => {
      const stop = () => this.#post({ op: 'stop', run });
      const untilMs = (clock.startedAtMs ?? Date.now()) + clock.durationMs + FINISH_TIMEOUT_MS - Date.now();
      const deadline = setTimeout(() => {
        stop(); // in case the helper is only slow: its run ends too
        this.#runs.get(run)?.reject(new FiredrillError('TIMEOUT', `firedrill's traffic process did not finish a drill's traffic within ${FINISH_TIMEOUT_MS / 1000} s of its end; run again`));
      }, untilMs);
      const settled = () => {
        clearTimeout(deadline);
        signal.removeEventListener('abort', stop);
        this.#runs.delete(run);
      };
      this.#runs.set(run, {
        live,
        heard: { requests: 0, failures: 0 },
        resolve: (tally) => (settled(), resolve(tally)),
        reject: (error) => (settled(), reject(error)),
      });
      this.#post({ op: 'run', run, targets, clock });
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
  }

  #post(request: TrafficHelperRequest): void {
    try {
      this.#helper.post(request);
    } catch (error) {
      this.#stopped(error as Error);
    }
  }

  #receive(reply: TrafficHelperReply): void {
    if (reply.kind === 'ready') return this.#loaded.resolve();
    const pending = this.#runs.get(reply.run);
    if (!pending) return;
    if (reply.kind === 'progress') return heard(pending, reply.requests, reply.failures);
    if (reply.kind === 'done') {
      const requests = reply.tally.perStream.reduce((n, s) => n + s.total, 0);
      heard(pending, requests, requests - reply.tally.perStream.reduce((n, s) => n + s.ok, 0));
      return pending.resolve(reply.tally);
    }
    const error = new Error(reply.message);
    if (reply.stack) error.stack = reply.stack;
    pending.reject(error);
  }

  /** The thread is gone, and with it the traffic of every drill it ran: each of them fails, saying so. Later drills get a thread of their own. */
  #stopped(cause: Error): void {
    if (this.#failure) return;
    this.#failure = new FiredrillError('ENVIRONMENT', `firedrill's traffic process stopped (${cause.message}); the drills it sent traffic for cannot be judged, run again`, { cause });
    this.#loaded.reject(this.#failure);
    for (const pending of [...this.#runs.values()]) pending.reject(this.#failure);
    this.onStopped();
    this.#helper.terminate();
  }
}

/** Adds what a run's helper has counted since it last told to the drill's live counters. */
function heard(pending: PendingRun, requests: number, failures: number): void {
  if (pending.live) {
    pending.live.requests += requests - pending.heard.requests;
    pending.live.failures += failures - pending.heard.failures;
  }
  pending.heard.requests = requests;
  pending.heard.failures = failures;
}

/** A promise and its settling functions (Node 20 has no Promise.withResolvers). */
function loading(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

let helper: TrafficHelper | undefined;

function trafficHelper(): TrafficHelper {
  if (helper) return helper;
  const started: TrafficHelper = new TrafficHelper(ENTRY, () => {
    if (helper === started) helper = undefined;
  });
  return (helper = started);
}

/** Loads this process's traffic process, if it has not yet: call before a timeline's clock starts. */
export function loadTrafficHelper(): Promise<void> {
  return trafficHelper().ready;
}

/**
 * Sends the streams' arrivals from this process's traffic process, on `clock`, until it ends or
 * `signal` aborts, and returns what they got once every answer is in; `live` counts as they come.
 * @example const tally = await sendTraffic([{ stream, baseUrl: 'http://127.0.0.1:8080' }], { durationMs: 10_000 }, signal);
 */
export function sendTraffic(targets: readonly StreamTarget[], clock: StreamClock, signal: AbortSignal, live?: LiveTraffic): Promise<StreamsTally> {
  return trafficHelper().run(targets, clock, signal, live);
}
