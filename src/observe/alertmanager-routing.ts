import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { request } from 'undici';
import type { ContinueWebhook } from './continue-webhook.ts';
import { CONTROL_CALL_TIMEOUT_MS, getJson } from './http-json.ts';
import type { ReceivedNotification } from './webhook-sink.ts';

/** One aggregation group of Alertmanager's dispatcher (/api/v2/alerts/groups): the receiver its route picked, and its alerts. */
interface AlertGroup {
  readonly receiver: { readonly name: string };
  readonly alerts: readonly {
    readonly fingerprint: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly status: { readonly state: 'active' | 'suppressed' | 'unprocessed'; readonly inhibitedBy: readonly string[]; readonly silencedBy: readonly string[] };
  }[];
}

/**
 * Notifications Alertmanager counted, by integration: `sent` from `alertmanager_notifications_total`,
 * `failed` from `alertmanager_notifications_failed_total` plus `alertmanager_notification_requests_failed_total`
 * (failed attempts of notifications still being retried).
 */
export type DeliveryCounts = Record<string, { sent: number; failed: number }>;

/** The counters by integration, and by receiver too where Alertmanager labels them with `receiver_name` (newer releases). */
export interface DeliveryReading {
  readonly integrations: DeliveryCounts;
  readonly receivers?: DeliveryCounts;
}

/** Where an alert's notification evidence comes from, for the result JSON. */
export const ROUTING_EVIDENCE = "Alertmanager's own routing (the receiver of each aggregation group, /api/v2/alerts/groups) and its notification counters per integration";

/**
 * Routing evidence from an Alertmanager firedrill did not configure (a game day on staging): the
 * receivers its routing tree picked for each alert (the receiver of every dispatcher group the
 * alert is in), seen while the alert is active and not inhibited, stand in for the notifications
 * a sink would have received, at the time of that poll, or at the exact time Alertmanager
 * notified it when the team routes a copy to firedrill's webhook (`continue: true`). An alert suppressed only
 * by firedrill's own silences (`--silence`) counts as routed: it was routed, and not delivered
 * because firedrill asked. Delivery itself is judged from the notification counters.
 */
export class AlertmanagerRouting {
  /** Per alert fingerprint: its labels, the receivers it was routed to, and when a poll first saw each. */
  readonly #seen = new Map<string, { labels: Readonly<Record<string, string>>; receivers: Map<string, number> }>();
  /** Webhook copies count from here: an earlier drill of the same alert has the same fingerprint. */
  readonly #sinceMs = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly pollMs: number,
    /** Silences firedrill created (`--silence`): alerts they hold still count as routed. */
    private readonly ownSilences: ReadonlySet<string> = new Set(),
    private readonly webhook?: { readonly log: ContinueWebhook; readonly receiver: string },
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#inFlight ??= this.poll().catch(() => undefined).finally(() => (this.#inFlight = undefined));
    }, this.pollMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }

  async poll(): Promise<void> {
    const groups = await getJson<AlertGroup[]>(`${this.baseUrl}/api/v2/alerts/groups?active=true&silenced=true&inhibited=true`);
    const now = Date.now();
    for (const group of groups) {
      // The team's copy to firedrill's webhook is how times are learnt, not a receiver of the alert.
      if (group.receiver.name === this.webhook?.receiver) continue;
      for (const alert of group.alerts) {
        const inhibited = alert.status.inhibitedBy.length > 0;
        const foreignSilence = alert.status.silencedBy.some((id) => !this.ownSilences.has(id));
        if (inhibited || foreignSilence || alert.status.state === 'unprocessed') continue;
        const seen = this.#seen.get(alert.fingerprint) ?? { labels: alert.labels, receivers: new Map<string, number>() };
        if (!seen.receivers.has(group.receiver.name)) seen.receivers.set(group.receiver.name, now);
        this.#seen.set(alert.fingerprint, seen);
      }
    }
  }

  /**
   * One firing "notification" per receiver an alert was routed to, at the poll that first saw it
   * routable (or when the webhook copy says Alertmanager notified it), and a resolved one when the
   * webhook copy says so.
   */
  notifications(): readonly ReceivedNotification[] {
    return [...this.#seen].flatMap(([fingerprint, { labels, receivers }]) => {
      const exact = (status: 'firing' | 'resolved') => this.webhook?.log.firstNotified(fingerprint, status, this.#sinceMs);
      const base = { alertname: labels.alertname ?? '', labels, fingerprint };
      return [...receivers].flatMap(([receiver, seenAtMs]) => {
        const resolvedAtMs = exact('resolved');
        return [
          { ...base, receiver, status: 'firing' as const, atMs: exact('firing') ?? seenAtMs },
          ...(resolvedAtMs === undefined ? [] : [{ ...base, receiver, status: 'resolved' as const, atMs: resolvedAtMs }]),
        ];
      });
    });
  }
}

/** An Alertmanager's notification counters now (its /metrics). */
export async function readDeliveryCounts(baseUrl: string): Promise<DeliveryReading> {
  const response = await request(`${baseUrl}/metrics`, { headersTimeout: CONTROL_CALL_TIMEOUT_MS, bodyTimeout: CONTROL_CALL_TIMEOUT_MS });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.statusCode}`);
  const integrations: DeliveryCounts = {};
  const receivers: DeliveryCounts = {};
  const add = (counts: DeliveryCounts, key: string, field: 'sent' | 'failed', value: number) => {
    counts[key] ??= { sent: 0, failed: 0 };
    counts[key][field] += value;
  };
  for (const family of parsePrometheusTextFormat(text)) {
    // A notification still being retried at the end of a drill has not failed yet, but its failed requests are counted at once.
    const field = family.name === 'alertmanager_notifications_total' ? 'sent' : family.name === 'alertmanager_notifications_failed_total' || family.name === 'alertmanager_notification_requests_failed_total' ? 'failed' : undefined;
    if (!field) continue;
    for (const m of family.metrics) {
      const value = Number(m.value ?? 0);
      add(integrations, m.labels?.integration ?? 'unknown', field, value);
      if (m.labels?.receiver_name) add(receivers, m.labels.receiver_name, field, value);
    }
  }
  return Object.keys(receivers).length > 0 ? { integrations, receivers } : { integrations };
}

/** What the counters rose by between two readings, integrations that moved only. */
export function deliveredBetween(before: DeliveryCounts, after: DeliveryCounts): DeliveryCounts {
  const moved: DeliveryCounts = {};
  for (const [integration, now] of Object.entries(after)) {
    const was = before[integration] ?? { sent: 0, failed: 0 };
    const delta = { sent: now.sent - was.sent, failed: now.failed - was.failed };
    if (delta.sent > 0 || delta.failed > 0) moved[integration] = delta;
  }
  return moved;
}

/** Both views of the counters, each as what moved between two readings. */
export function readingBetween(before: DeliveryReading, after: DeliveryReading): DeliveryReading {
  const integrations = deliveredBetween(before.integrations, after.integrations);
  return after.receivers ? { integrations, receivers: deliveredBetween(before.receivers ?? {}, after.receivers) } : { integrations };
}
