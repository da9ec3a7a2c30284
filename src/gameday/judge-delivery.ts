import { ROUTING_EVIDENCE, type DeliveryCounts } from '../observe/alertmanager-routing.ts';
import type { ExpectationKind, ExpectationResult } from '../report/run-result.ts';

/** Where a game day's verdicts get their data, by what they judge. */
export const EVIDENCE: Record<ExpectationKind | 'traffic', string> = {
  fires: "Prometheus: the stack's own rules, their ALERTS series (pending, then firing)",
  doesNotFire: "Prometheus: the stack's own rules and their ALERTS series",
  resolves: "Prometheus: the stack's own rules and their ALERTS series",
  mayFire: "Prometheus: the stack's own rules and their ALERTS series",
  unexpected: "Prometheus: the stack's own rules and their ALERTS series",
  inhibitedBy: "Alertmanager's /api/v2/alerts: status.state and inhibitedBy, polled through the drill",
  notifies: ROUTING_EVIDENCE,
  traffic: "firedrill's traffic engine: the responses it got",
};

/** A drill's verdicts on delivery, from Alertmanager's counters: routed is not delivered. */
export function judgeDelivery(expectations: readonly ExpectationResult[], delivery: DeliveryCounts, silenced: boolean): ExpectationResult[] {
  const sent = Object.values(delivery).reduce((n, d) => n + d.sent, 0);
  const failed = Object.values(delivery).reduce((n, d) => n + d.failed, 0);
  const counted = Object.entries(delivery).map(([integration, d]) => `${integration} ${d.sent} sent, ${d.failed} failed`).join('; ') || 'none';
  return expectations.map((e) => {
    const withEvidence = { ...e, evidence: EVIDENCE[e.kind ?? 'traffic'] };
    if (e.kind !== 'notifies' || !e.ok) return withEvidence;
    if (silenced) return { ...withEvidence, detail: `${e.detail}; silenced by firedrill (--silence): routed, not delivered` };
    if (sent === 0) return { ...withEvidence, ok: false, detail: `${e.detail}; but Alertmanager's notification counters did not move during the drill: nothing was delivered (check the receiver's integration)` };
    if (failed >= sent) return { ...withEvidence, ok: false, detail: `${e.detail}; but every notification attempt failed (${counted})` };
    return { ...withEvidence, detail: `${e.detail}; Alertmanager's notifications during the drill: ${counted}` };
  });
}
