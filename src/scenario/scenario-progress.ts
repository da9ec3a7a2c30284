import type { LiveTraffic } from '../engine/traffic.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';

/** What a running scenario is doing, about once a second. */
export interface ScenarioProgress {
  readonly scenario: string;
  readonly phase: 'running' | 'settling';
  readonly elapsedS: number;
  readonly durationS: number;
  /** Requests per wall second over the last tick. */
  readonly rps: number;
  readonly requests: number;
  readonly failures: number;
  /** Active alerts by name: pending or firing (a name with several series shows its worst). */
  readonly alerts: Readonly<Record<string, 'pending' | 'firing'>>;
}

const PROGRESS_TICK_MS = 1_000;

/** Reports progress every tick: traffic counters from the engine, alert states from Prometheus. */
export function startProgress(
  scenario: string,
  durationS: number,
  startedAtMs: number,
  live: LiveTraffic,
  prometheus: PrometheusClient,
  phase: () => ScenarioProgress['phase'],
  report: (progress: ScenarioProgress) => void,
): NodeJS.Timeout {
  let lastRequests = 0;
  let lastAtMs = startedAtMs;
  let alerts: Record<string, 'pending' | 'firing'> = {};
  let polling = false;
  return setInterval(() => {
    const now = Date.now();
    const rps = ((live.requests - lastRequests) * 1000) / Math.max(1, now - lastAtMs);
    lastRequests = live.requests;
    lastAtMs = now;
    report({ scenario, phase: phase(), elapsedS: (now - startedAtMs) / 1000, durationS, rps: Math.round(rps * 10) / 10, requests: live.requests, failures: live.failures, alerts });
    if (polling) return;
    polling = true;
    prometheus
      .alerts()
      .then((active) => {
        const next: Record<string, 'pending' | 'firing'> = {};
        for (const a of active) {
          const name = a.labels.alertname ?? '';
          if (a.state === 'firing' || next[name] === undefined) next[name] = a.state === 'firing' ? 'firing' : 'pending';
        }
        alerts = next;
      })
      .catch(() => undefined) // progress is best effort; the verdicts read Prometheus again
      .finally(() => (polling = false));
  }, PROGRESS_TICK_MS);
}
