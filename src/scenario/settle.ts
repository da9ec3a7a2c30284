import type { CompiledSystem } from '../compile/compile-system.ts';
import { ruleOrFirst } from '../compile/rule-of-series.ts';
import { faultCatalogue } from '../faults/fault-catalogue.ts';
import { inFlightDelayMs } from '../faults/in-flight-delay.ts';
import { FiredrillError } from '../errors.ts';
import { selectorName } from '../expect/expectation.ts';
import { readAlertHistories } from '../observe/alert-episodes.ts';
import { labelsMatch } from '../labels-match.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { waitFor } from '../stack/wait-for.ts';
import type { Scenario } from './define-scenario.ts';
import { settleDeadlineMs } from './settle-deadline.ts';

/** The longest real time any of the scenario's faults keeps requests in flight (in-flight-delay.ts). */
export function injectedDelayMs(scenario: Scenario, compiled: CompiledSystem): number {
  const catalogue = faultCatalogue(compiled.system);
  return Math.max(0, ...scenario.faults.map(({ fault }) => inFlightDelayMs(fault, catalogue.get(fault.target)?.kinds.get(fault.kind)?.driver === 'dependency-proxy')));
}

export function evaluationIntervalOf(compiled: CompiledSystem): (alertname: string, labels: Readonly<Record<string, string>>) => number {
  return (name, labels) => ruleOrFirst(compiled.alerts, name, labels)?.scaledEvaluationIntervalMs ?? compiled.evaluationIntervalMs;
}

/**
 * After the timeline: wait until alerts expected to resolve are inactive and alerts expected to
 * notify have notified, each with a deadline derived from its rule's windows and the routing timings.
 * A wait that runs out is not an error: the verdict reports what was seen.
 */
export async function settle(stack: StartedStack, scenario: Scenario, prometheus: PrometheusClient, startedAtMs: number, signal?: AbortSignal): Promise<void> {
  const toResolve = new Set(scenario.expect.filter((e) => e.kind === 'resolves').map((e) => e.alert));
  const toNotify = scenario.expect.filter((e) => e.kind === 'notifies');
  const deadlineMs = settleDeadlineMs(stack.compiled, [...toResolve, ...toNotify.map((e) => e.alert)]) + injectedDelayMs(scenario, stack.compiled);
  const matches = (e: { labels?: Readonly<Record<string, string>> }, labels: Readonly<Record<string, string>>) => labelsMatch(e.labels ?? {}, labels);
  const alertmanager = new AlertmanagerClient(stack.alertmanagerUrl);
  try {
    await waitFor(
      `alerts to resolve (${[...toResolve].join(', ') || 'none'}) and to notify (${toNotify.map(selectorName).join(', ') || 'none'})`,
      async () => {
        // Resolution as the verdict will see it: from the ALERTS history, not /api/v1/alerts, which
        // empties up to one evaluation before the history can show the episode ended.
        const activeNow = prometheus.alerts();
        const [histories, active, held] = await Promise.all([
          readAlertHistories(prometheus, evaluationIntervalOf(stack.compiled), startedAtMs, Date.now(), undefined, activeNow),
          activeNow,
          alertmanager.alerts(),
        ]);
        const stillActive = histories.filter((h) => toResolve.has(h.alertname) && h.episodes.at(-1)?.resolvedAtMs === null).map((h) => h.alertname);
        const notified = stack.sink.notifications().filter((n) => n.status === 'firing');
        const suppressed = held.filter((a) => a.status.state === 'suppressed');
        // The verdict judges every firing series that Alertmanager did not hold back: wait for each.
        // Alertmanager's copy of a series carries Prometheus' labels and its external labels too.
        const inAlertmanager = (series: Readonly<Record<string, string>>, copies: readonly { labels: Readonly<Record<string, string>> }[]) => copies.some((c) => labelsMatch(series, c.labels));
        const waiting = active.filter((a) => a.state === 'firing' && !inAlertmanager(a.labels, suppressed) && !inAlertmanager(a.labels, notified));
        const unnotified = toNotify.filter((e) => waiting.some((a) => a.labels.alertname === e.alert && matches(e, a.labels)));
        const seen = `active: [${stillActive.join(', ')}], firing but not notified: [${unnotified.map(selectorName).join(', ')}]`;
        return stillActive.length === 0 && unnotified.length === 0 ? { value: true, seen } : { seen };
      },
      { timeoutMs: deadlineMs, pollMs: stack.compiled.evaluationIntervalMs / 2, signal },
    );
  } catch (error) {
    if (!(error instanceof FiredrillError && error.code === 'TIMEOUT')) throw error;
  }
}
