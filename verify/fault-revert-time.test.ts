// A revert is timestamped when it is issued. Restarting a killed service completes only when our
// readiness poll sees it answer, but Prometheus can scrape it, and the down alert resolve, a poll
// earlier; `toResolve` compares against this time, so stamping the completion made WorkerDown
// "resolve before its fault was reverted" (seen once in a gate run). Real processes, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { fault } from '../src/faults/fault-spec.ts';
import type { FaultRecord } from '../src/faults/fault-controller.ts';
import { httpJson } from '../src/observe/http-json.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';
import { PROCESS_START_TIMEOUT_MS } from '../src/stack/restartable-process.ts';
import type { StartedStack } from '../src/stack/started-stack.ts';

const POLL_MS = 5;

describe('reverting a kill', () => {
  let stack: StartedStack;
  let reverted: FaultRecord;
  let firstAnswerSentAtMs: number | null = null;
  beforeAll(async () => {
    const config = await loadConfig('firedrill.config.ts');
    stack = await startNativeStack(compileSystem(config.systems[0]!, 'auto'));
    const worker = `${stack.serviceUrls.get('worker')}/metrics`;
    const killed = await stack.faults.inject(fault.kill('worker'));
    // Poll much faster than the controller's own readiness poll, noting when the first request
    // that got an answer was sent: the restarted process was listening by then.
    const giveUpAtMs = Date.now() + PROCESS_START_TIMEOUT_MS;
    const poller = (async () => {
      while (firstAnswerSentAtMs === null && Date.now() < giveUpAtMs) {
        const sentAtMs = Date.now();
        const answered = await httpJson('GET', worker, { timeoutMs: 1_000 }).then((r) => r.status === 200, () => false);
        if (answered) firstAnswerSentAtMs = sentAtMs;
        else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    reverted = await stack.faults.revert(killed.id);
    await poller;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is stamped no later than the restarted service first answered', () => {
    expect(firstAnswerSentAtMs, 'the restarted worker never answered our poll').not.toBeNull();
    expect(reverted.revertedAtMs).not.toBeNull();
    expect(reverted.revertedAtMs!).toBeLessThanOrEqual(firstAnswerSentAtMs!);
  });

  it('and after the kill took effect', () => {
    expect(reverted.revertedAtMs!).toBeGreaterThanOrEqual(reverted.injectedAtMs);
  });
});
