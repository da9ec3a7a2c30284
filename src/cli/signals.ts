import { setMaxListeners } from 'node:events';
import { exitWithin } from '../exit-within.ts';
import { killAllChildrenNow } from '../stack/process-registry.ts';
import { runAllTeardowns } from '../stack/teardown.ts';

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
/** If the orderly stop has not ended the process by then, teardowns run and it exits anyway. */
const ORDERLY_STOP_BUDGET_MS = 20_000;

/** What a command needs to know about Ctrl-C and SIGTERM. */
export interface Interruption {
  /** Aborts on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM; undefined while none came. */
  readonly exitCode: number | undefined;
}

/**
 * On SIGINT/SIGTERM: abort the run, so that it reverts every fault, stops every stack and writes
 * what it has (its result marked interrupted), then exit 130/143. Should the orderly stop hang,
 * teardowns run and the process exits after a budget. A second signal kills the children at
 * once; the exit hook still removes every run directory.
 */
export function installSignalHandlers(): Interruption {
  const abort = new AbortController();
  // Every stack, wait and engine of a run listens to it: many listeners are the design, not a leak.
  setMaxListeners(0, abort.signal);
  let exitCode: number | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (exitCode !== undefined) {
        killAllChildrenNow();
        exitWithin(EXIT_CODES[signal]);
      }
      exitCode = EXIT_CODES[signal]!;
      process.exitCode = exitCode;
      console.error(`\nfiredrill: ${signal}: reverting faults and stopping the stack...`);
      abort.abort(new Error(`interrupted by ${signal}`));
      setTimeout(() => void runAllTeardowns().finally(() => exitWithin(exitCode)), ORDERLY_STOP_BUDGET_MS).unref();
    });
  }
  return {
    signal: abort.signal,
    get exitCode() {
      return exitCode;
    },
  };
}
