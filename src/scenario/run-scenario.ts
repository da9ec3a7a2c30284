import { FiredrillError } from '../errors.ts';
import type { DrillEngine } from '../engine/drill-engine.ts';
import type { LiveTraffic } from '../engine/traffic.ts';
import { evaluateExpectations } from '../expect/evaluate-expectations.ts';
import { readAlertHistories } from '../observe/alert-episodes.ts';
import { buildAlertTraces, iso, labelsMatch } from '../observe/alert-trace.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { AlertmanagerPoller } from '../observe/alertmanager-poller.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { ScenarioResult } from '../report/run-result.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { waitFor } from '../stack/wait-for.ts';
import type { Scenario } from './define-scenario.ts';
import { planScenario } from './scenario-plan.ts';
import { settleDeadlineMs } from './settle-deadline.ts';
import { selectorName } from '../expect/expectation.ts';

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

export interface RunScenarioOptions {
  readonly engine: DrillEngine;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScenarioProgress) => void;
}

const PROGRESS_TICK_MS = 1_000;

/** Runs one scenario on a started stack: traffic and faults, then observation and verdicts. */
export async function runScenario(stack: StartedStack, scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const { compiled } = stack;
  const scale = compiled.scale;
  const plan = planScenario(scenario, scale);
  const prometheus = new PrometheusClient(stack.prometheusUrl);
  const poller = new AlertmanagerPoller(new AlertmanagerClient(stack.alertmanagerUrl), Math.max(100, compiled.evaluationIntervalMs / 3));
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const startedAtMs = Date.now();
  const live: LiveTraffic = { requests: 0, failures: 0 };
  let phase: ScenarioProgress['phase'] = 'running';
  poller.start();
  const progress = options.onProgress ? startProgress(scenario.name, plan.durationS, startedAtMs, live, prometheus, () => phase, options.onProgress) : undefined;

  try {
    const traffic = await options.engine.run(plan, { serviceUrls: Object.fromEntries(stack.serviceUrls), faults: { url: stack.faults.url, token: stack.faultToken } }, { signal: abort.signal, live });
    phase = 'settling';
    await stack.faults.revertAll();
    if (options.signal?.aborted) throw new FiredrillError('ENVIRONMENT', `scenario ${scenario.name} interrupted`);
    const crash = stack.crashReport();
    if (crash) throw new FiredrillError('PROCESS_EXITED', crash);

    await settle(stack, scenario, prometheus, startedAtMs);
    await poller.stop();
    const endedAtMs = Date.now();
    const faults = stack.faults.records();
    const histories = await readAlertHistories(
      prometheus,
      evaluationIntervalOf(stack),
      startedAtMs - compiled.evaluationIntervalMs,
      endedAtMs,
    );
    const alerts = buildAlertTraces({
      rules: compiled.alerts,
      histories,
      poller,
      notifications: stack.sink.notifications().filter((n) => n.atMs >= startedAtMs),
      faults,
      mentioned: [...new Set(scenario.expect.flatMap((e) => (e.kind === 'inhibitedBy' ? [e.alert, e.source] : [e.alert])))],
    });
    const expectations = [
      ...evaluateExpectations(scenario.expect, alerts, faults, scale),
      ...traffic.thresholds.map((t) => ({ description: `traffic ${t.stream} to ${plan.streams.find((p) => p.name === t.stream)?.service} answers 2xx: ${t.expression}`, ok: t.ok, detail: `answered 2xx: ${t.observed}` })),
    ];
    return {
      name: scenario.name,
      ok: expectations.every((e) => e.ok),
      startedAt: iso(startedAtMs)!,
      endedAt: iso(endedAtMs)!,
      traffic,
      faults: faults.map((f) => ({ target: f.spec.target, kind: f.spec.kind, injectedAt: iso(f.injectedAtMs)!, revertedAt: iso(f.revertedAtMs) })),
      alerts,
      expectations,
    };
  } finally {
    if (progress) clearInterval(progress);
    abort.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    await poller.stop().catch(() => undefined);
    await stack.faults.revertAll().catch(() => undefined);
  }
}

/**
 * After the timeline: wait until alerts expected to resolve are inactive and alerts expected to
 * notify have notified, each with a deadline derived from its rule's windows and the routing timings.
 * A wait that runs out is not an error: the verdict reports what was seen.
 */
async function settle(stack: StartedStack, scenario: Scenario, prometheus: PrometheusClient, startedAtMs: number): Promise<void> {
  const toResolve = new Set(scenario.expect.filter((e) => e.kind === 'resolves').map((e) => e.alert));
  const toNotify = scenario.expect.filter((e) => e.kind === 'notifies');
  // A delay fault's slow requests stay in flight (and unobserved) for up to the delay after its revert.
  const inFlightMs = Math.max(0, ...scenario.faults.map((f) => Number(f.fault.params?.ms ?? 0)));
  const deadlineMs = settleDeadlineMs(stack.compiled, [...toResolve, ...toNotify.map((e) => e.alert)]) + inFlightMs;
  const matches = (e: { labels?: Readonly<Record<string, string>> }, labels: Readonly<Record<string, string>>) => labelsMatch(e.labels ?? {}, labels);
  try {
    await waitFor(
      `alerts to resolve (${[...toResolve].join(', ') || 'none'}) and to notify (${toNotify.map(selectorName).join(', ') || 'none'})`,
      async () => {
        // Resolution as the verdict will see it: from the ALERTS history, not /api/v1/alerts, which
        // empties up to one evaluation before the history can show the episode ended.
        const histories = await readAlertHistories(prometheus, evaluationIntervalOf(stack), startedAtMs, Date.now());
        const stillActive = histories.filter((h) => toResolve.has(h.alertname) && h.episodes.at(-1)?.resolvedAtMs === null).map((h) => h.alertname);
        const active = await prometheus.alerts();
        const notified = stack.sink.notifications().filter((n) => n.status === 'firing');
        const firing = active.filter((a) => a.state === 'firing');
        const unnotified = toNotify.filter(
          (e) => firing.some((a) => a.labels.alertname === e.alert && matches(e, a.labels)) && !notified.some((n) => n.alertname === e.alert && matches(e, n.labels)),
        );
        const seen = `active: [${stillActive.join(', ')}], firing but not notified: [${unnotified.map(selectorName).join(', ')}]`;
        return stillActive.length === 0 && unnotified.length === 0 ? { value: true, seen } : { seen };
      },
      { timeoutMs: deadlineMs, pollMs: stack.compiled.evaluationIntervalMs / 2 },
    );
  } catch (error) {
    if (!(error instanceof FiredrillError && error.code === 'TIMEOUT')) throw error;
  }
}

function evaluationIntervalOf(stack: StartedStack): (alertname: string) => number {
  const { compiled } = stack;
  return (name) => compiled.alerts.find((a) => a.alertname === name)?.scaledEvaluationIntervalMs ?? compiled.evaluationIntervalMs;
}

/** Reports progress every tick: traffic counters from the engine, alert states from Prometheus. */
function startProgress(
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
