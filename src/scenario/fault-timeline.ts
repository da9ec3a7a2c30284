import { parseDurationMs } from '../duration.ts';
import { FiredrillError } from '../errors.ts';
import { assertLoopback } from '../engine/loopback.ts';
import { httpJson } from '../observe/http-json.ts';
import { describeFault } from '../faults/fault-spec.ts';
import type { FaultStep } from './define-scenario.ts';

interface TimedAction {
  readonly atMs: number; // wall ms from scenario start
  readonly order: number;
  readonly run: () => Promise<void>;
}

/**
 * Plays a scenario's fault steps on the wall clock (rule time / scale) through the fault
 * controller's HTTP API, the same calls a compiled k6 script makes.
 */
export async function playFaultTimeline(
  steps: readonly FaultStep[],
  options: { scale: number; durationMs: number; controllerUrl: string; token: string; startedAtMs: number; signal: AbortSignal },
): Promise<void> {
  assertLoopback(options.controllerUrl);
  const ids = new Map<number, string>();
  const call = async (method: 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await httpJson<{ id?: string; error?: string }>(method, `${options.controllerUrl}${path}`, {
      body,
      headers: { authorization: `Bearer ${options.token}` },
      timeoutMs: 60_000, // a revert of 'kill' restarts the service and waits for it
    });
    if (response.status >= 300) throw new FiredrillError('ENVIRONMENT', `fault controller ${method} ${path}: ${response.body?.error ?? response.status}`);
    return response.body;
  };
  const actions: TimedAction[] = steps.flatMap((step, index): TimedAction[] => {
    const atMs = parseDurationMs(step.at, `faults[${index}].at`) / options.scale;
    const holdMs = step.hold === undefined ? options.durationMs * options.scale : parseDurationMs(step.hold, `faults[${index}].hold`);
    const inject = { atMs, order: index, run: async () => void ids.set(index, (await call('POST', '/faults', step.fault)).id!) };
    const revert = {
      atMs: Math.min(atMs + holdMs / options.scale, options.durationMs),
      order: -index - 1, // at equal times, reverts go first and in reverse injection order
      run: async () => {
        const id = ids.get(index);
        if (id === undefined) throw new FiredrillError('ENVIRONMENT', `fault ${describeFault(step.fault)} was never injected`);
        await call('DELETE', `/faults/${id}`);
      },
    };
    return [inject, revert];
  });
  actions.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  for (const action of actions) {
    const waitMs = options.startedAtMs + action.atMs - Date.now();
    if (waitMs > 0) await abortableDelay(waitMs, options.signal);
    if (options.signal.aborted) return;
    await action.run();
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
