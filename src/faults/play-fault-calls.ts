import { FiredrillError } from '../errors.ts';
import { assertLoopback } from '../engine/loopback.ts';
import { httpJson } from '../observe/http-json.ts';
import type { PlannedFaultCall } from '../scenario/scenario-plan.ts';
import { describeFault } from './fault-spec.ts';

/** Where the fault controller listens and the run's token: what a k6 script gets through __ENV. */
export interface FaultEndpoint {
  readonly url: string;
  readonly token: string;
}

/** A revert of 'kill' restarts the service and waits until it answers. */
export const FAULT_CALL_TIMEOUT_MS = 60_000;

/** Makes one planned call: the same request the compiled k6 script sends. */
export async function sendFaultCall(call: PlannedFaultCall, endpoint: FaultEndpoint): Promise<void> {
  assertLoopback(endpoint.url);
  const [method, path, body] = call.action === 'inject' ? (['POST', '/faults', { id: call.faultId, ...call.fault }] as const) : (['DELETE', `/faults/${call.faultId}`, undefined] as const);
  const response = await httpJson<{ error?: string }>(method, `${endpoint.url}${path}`, {
    body,
    headers: { authorization: `Bearer ${endpoint.token}` },
    timeoutMs: FAULT_CALL_TIMEOUT_MS,
  });
  if (response.status >= 300) {
    throw new FiredrillError('ENVIRONMENT', `fault controller: ${call.action} ${describeFault(call.fault)} (${method} ${path}) answered ${response.status}: ${response.body?.error ?? ''}`);
  }
}

/** Plays the calls on the wall clock from `startedAtMs`; stops quietly when `signal` aborts. */
export async function playFaultCalls(calls: readonly PlannedFaultCall[], endpoint: FaultEndpoint, startedAtMs: number, signal: AbortSignal): Promise<void> {
  for (const call of calls) {
    const waitMs = startedAtMs + call.atS * 1000 - Date.now();
    if (waitMs > 0) await abortableDelay(waitMs, signal);
    if (signal.aborted) return;
    await sendFaultCall(call, endpoint);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
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
