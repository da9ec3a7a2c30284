import type { ExternalStackConfig } from '../config/define-config.ts';
import { formatDurationMs } from '../duration.ts';
import { badInput } from '../errors.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';

/** Why a game day's drill was stopped before its end. */
export interface AbortReason {
  readonly guard: string;
  readonly detail: string;
  readonly at: string;
}

export interface RunningGuards {
  readonly signal: AbortSignal;
  /** Set once a guard tripped. */
  reason(): AbortReason | undefined;
  stop(): void;
}

/**
 * Watches a drill on a stack people depend on: every `abortWhen` PromQL expression on the stack's
 * own Prometheus, each poll; a series returned trips it. So does the drill outliving its maximum
 * duration. Tripping aborts `signal`: the drill stops, every fault is reverted, and the verdict
 * says which guard and what it saw. A guard that cannot be evaluated trips too: a game day never
 * runs blind.
 */
export function startAbortGuards(prometheus: PrometheusClient, guards: NonNullable<ExternalStackConfig['abortWhen']>, maxDurationMs: number, pollMs: number): RunningGuards {
  const abort = new AbortController();
  let tripped: AbortReason | undefined;
  const trip = (guard: string, detail: string) => {
    if (tripped) return;
    tripped = { guard, detail, at: new Date().toISOString() };
    abort.abort(new Error(`${guard}: ${detail}`));
  };
  let polling = false;
  const poll = () => {
    if (polling || tripped) return;
    polling = true;
    Promise.all(
      guards.map(async (g) => {
        try {
          const result = await prometheus.instant(g.expr, Date.now());
          if (result.length > 0) trip(g.name, `${g.expr} returned ${result.map((r) => `${labelText(r.metric)} ${r.value[1]}`).join(', ')}`);
        } catch (error) {
          trip(g.name, `${g.expr} could not be evaluated (${(error as Error).message.split('\n')[0]})`);
        }
      }),
    ).finally(() => (polling = false));
  };
  poll(); // a stack already hurting stops the drill before its first fault
  const timer = setInterval(poll, pollMs);
  const deadline = setTimeout(() => trip('maximum duration', `the drill ran longer than ${formatDurationMs(maxDurationMs)}`), maxDurationMs);
  return {
    signal: abort.signal,
    reason: () => tripped,
    stop() {
      clearInterval(timer);
      clearTimeout(deadline);
    },
  };
}

function labelText(labels: Record<string, string>): string {
  const shown = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  return shown ? `{${shown}}` : '';
}

/** Each guard evaluated once before anything is touched: it must parse and return an instant vector (a scalar could never trip). */
export async function checkAbortGuards(prometheus: PrometheusClient, guards: NonNullable<ExternalStackConfig['abortWhen']>, at: string): Promise<void> {
  for (const [i, g] of guards.entries()) {
    let type: string;
    try {
      type = await prometheus.resultType(g.expr);
    } catch (error) {
      throw badInput(`${at}.abortWhen[${i}].expr: ${(error as Error).message.split('\n')[0]}; write a PromQL expression the stack's Prometheus accepts`);
    }
    if (type !== 'vector') throw badInput(`${at}.abortWhen[${i}].expr: returns a ${type}, which can never trip; write an instant vector expression (e.g. sum(rate(x[1m])) > 5)`);
  }
}
