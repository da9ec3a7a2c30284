import type { Expectation } from '../expect/expectation.ts';
import { ROUTING_EVIDENCE, type DeliveryReading } from '../observe/alertmanager-routing.ts';
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

/** How a drill's notifications were observed. */
export interface DeliveryContext {
  readonly silenced: boolean;
  /** A webhook copy of every notification was configured (exact times). */
  readonly exactTimes: boolean;
  /** Posts that copy received during the drill: counted by Alertmanager as webhook notifications, not sent to any receiver of the team. */
  readonly copies: number;
}

const sum = (counts: readonly { sent: number; failed: number }[]) => counts.reduce((t, c) => ({ sent: t.sent + c.sent, failed: t.failed + c.failed }), { sent: 0, failed: 0 });

/** What was sent toward `receivers`: their own counters where Alertmanager has them, else every integration's less firedrill's copies. */
function sentToward(receivers: readonly string[], delivery: DeliveryReading, copies: number): { sent: number; failed: number; basis: string } {
  if (delivery.receivers) {
    const counted = sum(receivers.map((r) => delivery.receivers![r] ?? { sent: 0, failed: 0 }));
    return { ...counted, basis: `${receivers.join(', ')}: ${counted.sent} sent, ${counted.failed} failed (per receiver)` };
  }
  const integrations = Object.entries(delivery.integrations).map(([name, c]) => (name === 'webhook' ? { ...c, sent: Math.max(0, c.sent - copies) } : c));
  const counted = sum(integrations);
  const listed = Object.entries(delivery.integrations).map(([name, c]) => `${name} ${c.sent} sent, ${c.failed} failed`).join('; ') || 'none';
  return { ...counted, basis: `${listed}${copies ? `; ${copies} of the webhook ones were firedrill's copies` : ''} (per integration, across every receiver: this Alertmanager has no per-receiver counters)` };
}

/**
 * A drill's verdicts on delivery, from Alertmanager's counters: routed is not delivered. `expected`
 * are the scenario's expectations, in the order of the first results.
 */
export function judgeDelivery(expectations: readonly ExpectationResult[], expected: readonly Expectation[], delivery: DeliveryReading, how: DeliveryContext): ExpectationResult[] {
  return expectations.map((e, i) => {
    const evidence = EVIDENCE[e.kind ?? 'traffic'] + (e.kind === 'notifies' && how.exactTimes ? "; times from the copy of each notification Alertmanager sent to firedrill's webhook (continue: true)" : '');
    const withEvidence = { ...e, evidence };
    const wanted = expected[i];
    if (e.kind !== 'notifies' || !e.ok || wanted?.kind !== 'notifies') return withEvidence;
    if (how.silenced) return { ...withEvidence, detail: `${e.detail}; silenced by firedrill (--silence): routed, not delivered` };
    const toward = sentToward(typeof wanted.receiver === 'string' ? [wanted.receiver] : wanted.receiver, delivery, how.copies);
    if (toward.sent === 0) return { ...withEvidence, ok: false, detail: `${e.detail}; but nothing was delivered: Alertmanager's notification counters did not move during the drill (${toward.basis}); check the receiver's integration` };
    // Any failure fails it: across every receiver of an integration that may be another receiver's, which errs on the side of a false alarm, never of a false pass.
    if (toward.failed > 0) return { ...withEvidence, ok: false, detail: `${e.detail}; but notifications failed (${toward.basis})` };
    return { ...withEvidence, detail: `${e.detail}; Alertmanager's notifications during the drill: ${toward.basis}` };
  });
}
