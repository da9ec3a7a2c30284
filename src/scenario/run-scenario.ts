import { FiredrillError } from '../errors.ts';
import { parseDurationMs } from '../duration.ts';
import type { TrafficEngine } from '../engine/traffic.ts';
import { evaluateExpectations } from '../expect/evaluate-expectations.ts';
import { readAlertHistories } from '../observe/alert-episodes.ts';
import { buildAlertTraces, iso } from '../observe/alert-trace.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { AlertmanagerPoller } from '../observe/alertmanager-poller.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { ScenarioResult } from '../report/run-result.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { waitFor } from '../stack/wait-for.ts';
import type { Scenario } from './define-scenario.ts';
import { playFaultTimeline } from './fault-timeline.ts';
import { settleDeadlineMs } from './settle-deadline.ts';

export interface RunScenarioOptions {
  readonly engine: TrafficEngine;
  readonly signal?: AbortSignal;
  /** Called about once a second with what is going on. */
  readonly onProgress?: (line: string) => void;
}

/** Runs one scenario on a started stack: traffic and faults, then observation and verdicts. */
export async function runScenario(stack: StartedStack, scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const { compiled } = stack;
  const scale = compiled.scale;
  const durationMs = parseDurationMs(scenario.duration, `${scenario.name}: duration`) / scale;
  const prometheus = new PrometheusClient(stack.prometheusUrl);
  const poller = new AlertmanagerPoller(new AlertmanagerClient(stack.alertmanagerUrl), Math.max(100, compiled.evaluationIntervalMs / 3));
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const firstFault = stack.faults.records().length;
  const startedAtMs = Date.now();
  poller.start();
  const progress = setInterval(() => options.onProgress?.(`${scenario.name} +${((Date.now() - startedAtMs) / 1000).toFixed(0)}s`), 1000);

  try {
    const streams = scenario.traffic.map((t) => ({ ...t, baseUrl: stack.serviceUrls.get(t.service)! }));
    const [traffic] = await Promise.all([
      options.engine.run(streams, durationMs, abort.signal),
      playFaultTimeline(scenario.faults, {
        scale,
        durationMs,
        controllerUrl: stack.faults.url,
        token: stack.faultToken,
        startedAtMs,
        signal: abort.signal,
      }).catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
    ]);
    await stack.faults.revertAll();
    if (options.signal?.aborted) throw new FiredrillError('ENVIRONMENT', `scenario ${scenario.name} interrupted`);
    const crash = stack.crashReport();
    if (crash) throw new FiredrillError('PROCESS_EXITED', crash);

    await settle(stack, scenario, prometheus);
    await poller.stop();
    const endedAtMs = Date.now();
    const faults = stack.faults.records().slice(firstFault);
    const histories = await readAlertHistories(
      prometheus,
      (name) => compiled.alerts.find((a) => a.alertname === name)?.scaledEvaluationIntervalMs ?? compiled.evaluationIntervalMs,
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
    const expectations = evaluateExpectations(scenario.expect, alerts, faults, scale);
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
    clearInterval(progress);
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
async function settle(stack: StartedStack, scenario: Scenario, prometheus: PrometheusClient): Promise<void> {
  const toResolve = new Set(scenario.expect.filter((e) => e.kind === 'resolves').map((e) => e.alert));
  const toNotify = scenario.expect.filter((e) => e.kind === 'notifies').map((e) => e.alert);
  const deadlineMs = settleDeadlineMs(stack.compiled, [...toResolve, ...toNotify]);
  try {
    await waitFor(
      `alerts to resolve (${[...toResolve].join(', ') || 'none'}) and to notify (${toNotify.join(', ') || 'none'})`,
      async () => {
        const active = await prometheus.alerts();
        const stillActive = active.map((a) => a.labels.alertname ?? '').filter((name) => toResolve.has(name));
        const notified = new Set(stack.sink.notifications().filter((n) => n.status === 'firing').map((n) => n.alertname));
        const firing = new Set(active.filter((a) => a.state === 'firing').map((a) => a.labels.alertname));
        const unnotified = toNotify.filter((name) => firing.has(name) && !notified.has(name));
        const seen = `active: [${stillActive.join(', ')}], firing but not notified: [${unnotified.join(', ')}]`;
        return stillActive.length === 0 && unnotified.length === 0 ? { value: true, seen } : { seen };
      },
      { timeoutMs: deadlineMs, pollMs: stack.compiled.evaluationIntervalMs / 2 },
    );
  } catch (error) {
    if (!(error instanceof FiredrillError && error.code === 'TIMEOUT')) throw error;
  }
}
