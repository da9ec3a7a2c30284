import { killAllChildrenNow } from '../stack/process-registry.ts';
import { runAllTeardowns } from '../stack/teardown.ts';

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * On SIGINT/SIGTERM: abort the run, revert every fault and stop every process, then exit
 * 130/143. A second signal kills the children at once.
 */
export function installSignalHandlers(): AbortController {
  const abort = new AbortController();
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        killAllChildrenNow();
        process.exit(EXIT_CODES[signal]);
      }
      stopping = true;
      console.error(`\nfiredrill: ${signal}: reverting faults and stopping the stack...`);
      abort.abort();
      void runAllTeardowns().finally(() => process.exit(EXIT_CODES[signal]));
    });
  }
  return abort;
}
