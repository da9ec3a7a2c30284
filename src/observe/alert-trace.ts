import type { CompiledRule } from '../compile/rule-files.ts';
import { ruleOrFirst } from '../compile/rule-of-series.ts';
import { seconds } from '../duration.ts';
import { labelsMatch } from '../labels-match.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';
import { causingFault } from '../faults/causing-fault.ts';
import type { AlertEpisode, AlertHistory } from './alert-episodes.ts';
import { missedEvaluationsAtFiring } from './missed-evaluations.ts';
import type { AlertmanagerPoller } from './alertmanager-poller.ts';
import type { ReceivedNotification } from './webhook-sink.ts';

/** One alert's timeline in a scenario: the result format users script against (see DESIGN.md). */
export interface AlertTrace {
  alertname: string;
  labels: Record<string, string>;
  /** As written in the rule. */
  forSeconds: number;
  /** Wall seconds after scaling. */
  scaledForSeconds: number;
  /** Wall seconds between evaluations of the rule's group. */
  evaluationIntervalSeconds: number;
  pendingAt: string | null;
  firingAt: string | null;
  resolvedAt: string | null;
  /**
   * Evaluations Prometheus missed when the alert was due to fire (a starved machine), by which
   * firingAt is late through no fault of the rule; 0 when it evaluated on time. Absent in results
   * written before firedrill counted them.
   */
  missedEvaluationsAtFiring?: number;
  /** Wall seconds from the latest fault injected before pendingAt to pendingAt. */
  detectionSeconds: number | null;
  /** Alertnames of the alerts that suppressed it in Alertmanager. */
  inhibitedBy: string[];
  suppressedFrom: string | null;
  suppressedUntil: string | null;
  /**
   * When Alertmanager's API first listed it (polled), null if it never did; absent when the polls
   * failed (no data), and in results written before firedrill recorded it.
   */
  reachedAlertmanagerAt?: string | null;
  notifications: { receiver: string; status: 'firing' | 'resolved'; at: string }[];
  /** Every pending/firing cycle; the top-level times are the first cycle that fired (else the first). */
  episodes: { pendingAt: string; firingAt: string | null; resolvedAt: string | null; missedEvaluationsAtFiring?: number }[];
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export interface TraceInputs {
  readonly rules: readonly CompiledRule[];
  readonly histories: readonly AlertHistory[];
  readonly poller: AlertmanagerPoller;
  readonly notifications: readonly ReceivedNotification[];
  readonly faults: readonly FaultRecord[];
  /** Alertnames that get a trace even if they never went active (named by expectations). */
  readonly mentioned: readonly string[];
}

/** Merges Prometheus episodes, Alertmanager suppression and sink notifications into one trace per alert. */
export function buildAlertTraces(inputs: TraceInputs): AlertTrace[] {
  const rule = (name: string) => inputs.rules.find((r) => r.alertname === name);
  const histories = [...inputs.histories];
  for (const name of inputs.mentioned) {
    if (!histories.some((h) => h.alertname === name)) histories.push({ alertname: name, labels: { alertname: name, ...rule(name)?.labels }, episodes: [] });
  }
  return histories.map((history) => {
    const compiled = ruleOrFirst(inputs.rules, history.alertname, history.labels);
    const main = history.episodes.find((e) => e.firingAtMs !== null) ?? history.episodes[0];
    const suppression = inputs.poller.records().filter((r) => labelsMatch(history.labels, r.labels));
    const inhibitedBy = [...new Set(suppression.flatMap((r) => [...r.inhibitedBy].map((fp) => inputs.poller.alertnameOf(fp))))].sort();
    const suppressedTimes = suppression.flatMap((r) => [r.firstSuppressedAtMs, r.lastSuppressedAtMs]).filter((t): t is number => t !== null);
    const pendingAtMs = main?.pendingAtMs ?? null;
    const missed = (e: AlertEpisode) => missedEvaluationsAtFiring(e, compiled?.scaledForMs ?? 0, compiled?.scaledEvaluationIntervalMs ?? 0);
    const cause = causingFault(inputs.faults, pendingAtMs);
    return {
      alertname: history.alertname,
      labels: { ...history.labels },
      forSeconds: seconds(compiled?.forMs ?? 0),
      scaledForSeconds: seconds(compiled?.scaledForMs ?? 0),
      evaluationIntervalSeconds: seconds(compiled?.scaledEvaluationIntervalMs ?? 0),
      pendingAt: iso(pendingAtMs),
      firingAt: iso(main?.firingAtMs ?? null),
      resolvedAt: iso(main?.resolvedAtMs ?? null),
      missedEvaluationsAtFiring: main ? missed(main) : 0,
      detectionSeconds: cause && pendingAtMs !== null ? seconds(pendingAtMs - cause.injectedAtMs) : null,
      inhibitedBy,
      suppressedFrom: iso(suppressedTimes.length ? Math.min(...suppressedTimes) : null),
      suppressedUntil: iso(suppressedTimes.length ? Math.max(...suppressedTimes) : null),
      ...(inputs.poller.gap() === undefined ? { reachedAlertmanagerAt: iso(suppression.length ? Math.min(...suppression.map((r) => r.firstSeenAtMs)) : null) } : {}),
      notifications: inputs.notifications
        .filter((n) => n.alertname === history.alertname && labelsMatch(history.labels, n.labels))
        .map((n) => ({ receiver: n.receiver, status: n.status, at: iso(n.atMs)! })),
      episodes: history.episodes.map((e) => ({ pendingAt: iso(e.pendingAtMs)!, firingAt: iso(e.firingAtMs), resolvedAt: iso(e.resolvedAtMs), missedEvaluationsAtFiring: missed(e) })),
    };
  });
}
