import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatDurationMs } from '../duration.ts';
import { FiredrillError } from '../errors.ts';
import { pause } from './wait-for.ts';

/** One thing a stack runs and watches: a process it started, or a server it answers for. */
export interface WatchedComponent {
  readonly name: string;
  /** Its log, kept beside firedrill's results when it fails, so that the error can point at it. */
  readonly logFile?: string;
  /** Why it is gone, when it died on its own; undefined while it runs or after a deliberate stop. */
  exited(): string | undefined;
  /** Resolves when it answers a health request within `timeoutMs`, rejects otherwise. */
  probe?(timeoutMs: number): Promise<void>;
  /** True while a fault of the drill holds it: a paused or restarting service is not a hang. */
  faulted?(): boolean;
}

export interface WatchTimings {
  /** How often every component's own state is read: dead, or stopped. */
  readonly pollMs: number;
  /** No answer for this long is a hang. */
  readonly hangMs: number;
  /** How often health requests go out, rounded down to whole polls (default: every poll). */
  readonly probeMs?: number;
}

/** Health requests go out every this many polls. */
export const pollsPerProbe = (timings: WatchTimings): number => Math.max(1, Math.floor((timings.probeMs ?? timings.pollMs) / timings.pollMs));

/** Where the log of a failed component is kept: the run directory goes, the log the error names stays. */
export const KEPT_LOGS_DIR = '.firedrill/logs';

/**
 * Watches every component of a started stack, continuously: a death, or a stop its state shows,
 * of anything the drill did not fault ends the run within one poll interval; a hang (no answer
 * to its health request within `hangMs`) within one probe interval more. `signal` aborts then,
 * and `failure` says, in one line, what died, what was seen, and where its log is kept; no
 * verdict may be computed on data from a dead or hung observer.
 */
export class StackWatch {
  readonly #abort = new AbortController();
  #failure: FiredrillError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polls = 0;
  #round: Promise<FiredrillError | undefined> | undefined;
  #stopped = false;

  constructor(
    private readonly components: readonly WatchedComponent[],
    private readonly timings: WatchTimings,
    /** A name for kept logs, unique per stack (the run directory's). */
    private readonly runName: string,
  ) {}

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get failure(): FiredrillError | undefined {
    return this.#failure;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#stateCheck()) return;
      if (this.#polls++ % pollsPerProbe(this.timings) === 0) void this.#probeRound();
    }, this.timings.pollMs);
  }

  /** Ends the watch: a health request still in flight fails nothing, since the stack is being stopped. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  /**
   * One round over every component, health requests included (or the round in flight, awaited);
   * also called by hand before verdicts are computed.
   */
  async check(): Promise<FiredrillError | undefined> {
    return this.#stateCheck() ?? (await this.#probeRound());
  }

  /** Dead or stopped, read from each component's own state: no request, so on every poll. */
  #stateCheck(): FiredrillError | undefined {
    if (this.#failure) return this.#failure;
    for (const component of this.components) {
      const gone = component.exited();
      if (gone) return this.#fail(component, gone);
    }
    return undefined;
  }

  #probeRound(): Promise<FiredrillError | undefined> {
    if (this.#failure) return Promise.resolve(this.#failure);
    this.#round ??= this.#probeAll().finally(() => (this.#round = undefined));
    return this.#round;
  }

  async #probeAll(): Promise<FiredrillError | undefined> {
    const probed = this.components.filter((c) => c.probe && !c.faulted?.());
    const answers = await Promise.allSettled(probed.map((c) => c.probe!(this.timings.hangMs)));
    // Found by the state check meanwhile, or stopped on purpose: nothing more to say.
    if (this.#failure || this.#stopped) return this.#failure;
    for (const [i, answer] of answers.entries()) {
      const component = probed[i]!;
      // A component that was faulted or died meanwhile has its own story.
      if (answer.status === 'fulfilled' || component.faulted?.()) continue;
      let gone = component.exited();
      if (!gone) {
        // A killed process resets its sockets before its exit reaches us: read its state once more a poll later.
        await pause(this.timings.pollMs, undefined);
        if (!this.#stopped) gone = component.exited();
      }
      if (this.#failure || this.#stopped) return this.#failure;
      if (gone) return this.#fail(component, gone);
      const why = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      return this.#fail(component, `stopped answering: no health answer within ${formatDurationMs(this.timings.hangMs)} (${why.split('\n')[0]})`);
    }
    return undefined;
  }

  #fail(component: WatchedComponent, what: string): FiredrillError {
    const kept = keepLog(component, this.runName);
    this.#failure = new FiredrillError('ENVIRONMENT', `${component.name} ${what}${kept ? `; its log: ${kept}` : ''}`);
    this.stop();
    this.#abort.abort(this.#failure);
    return this.#failure;
  }
}

function keepLog(component: WatchedComponent, runName: string): string | undefined {
  if (!component.logFile || !existsSync(component.logFile)) return undefined;
  const kept = path.join(KEPT_LOGS_DIR, `${runName}-${component.name.replace(/[^a-z0-9.-]+/gi, '-')}.log`);
  try {
    mkdirSync(KEPT_LOGS_DIR, { recursive: true });
    copyFileSync(component.logFile, kept);
    return kept;
  } catch {
    return undefined;
  }
}
