import { FiredrillError } from '../errors.ts';
import { formatDurationMs } from '../duration.ts';

export interface Probe<T> {
  /** The value once the condition holds, or `undefined` while it does not. */
  readonly value?: T;
  /** What the probe saw, quoted when the wait fails. */
  readonly seen: string;
}

export interface WaitOptions {
  /** Deadline, derived by the caller from the configured intervals. */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Checked between polls: a dead process ends the wait at once with its own story. */
  readonly abortIf?: () => string | undefined;
  /** Ends the wait at once, with the signal's reason when it is a FiredrillError (the first failure of a start, a dead stack). */
  readonly signal?: AbortSignal;
  /**
   * No probe before this time (epoch ms), when the condition cannot hold before it and each probe
   * costs (a request its server answers): `abortIf` and `signal` are still checked every poll.
   */
  readonly probeFrom?: { readonly atMs: number; readonly why: string };
}

/**
 * Polls until `probe` yields a value or the deadline passes. A failed wait names what it
 * waited for, for how long, and what it saw last.
 */
export async function waitFor<T>(what: string, probe: () => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    if (options.signal?.aborted) throw abortReason(options.signal, what);
    const abort = options.abortIf?.();
    if (abort) throw new FiredrillError('PROCESS_EXITED', `while waiting for ${what}: ${abort}`);
    if (options.probeFrom !== undefined && Date.now() < Math.min(options.probeFrom.atMs, deadline)) {
      seen = `not asked yet: ${options.probeFrom.why}`;
    } else {
      try {
        const result = await probe();
        if (result.value !== undefined) return result.value;
        seen = result.seen;
      } catch (error) {
        seen = (error as Error).message;
      }
    }
    if (Date.now() >= deadline) {
      throw new FiredrillError('TIMEOUT', `timed out after ${formatDurationMs(options.timeoutMs)} waiting for ${what}; last seen: ${seen}`);
    }
    await pause(Math.min(options.pollMs, Math.max(1, deadline - Date.now())), options.signal);
  }
}

function abortReason(signal: AbortSignal, what: string): Error {
  return signal.reason instanceof FiredrillError ? signal.reason : new FiredrillError('ENVIRONMENT', `stopped waiting for ${what}: ${String(signal.reason ?? 'aborted')}`);
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
