import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { request } from 'undici';
import { CONTROL_CALL_TIMEOUT_MS, getJson } from './http-json.ts';
import type { ReceivedNotification } from './webhook-sink.ts';

/** An alert as Alertmanager's API v2 shows it, with the receivers its routing tree picked. */
interface RoutedAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: { readonly state: 'active' | 'suppressed' | 'unprocessed'; readonly inhibitedBy: readonly string[]; readonly silencedBy: readonly string[] };
}

/** Notifications Alertmanager counted per integration (`alertmanager_notifications_total` and `_failed_total`). */
export type DeliveryCounts = Record<string, { sent: number; failed: number }>;

/** Where an alert's notification evidence comes from, for the result JSON. */
export const ROUTING_EVIDENCE = "Alertmanager's own routing (/api/v2/alerts receivers) and its notification counters per integration";

/**
 * Routing evidence from an Alertmanager firedrill did not configure (a game day on staging): the
 * receivers its routing tree picked for each alert, seen while the alert is active and not
 * inhibited, stand in for the notifications a sink would have received. An alert suppressed only
 * by firedrill's own silences (`--silence`) counts as routed: it was routed, and not delivered
 * because firedrill asked. Delivery itself is judged from the notification counters.
 */
export class AlertmanagerRouting {
  readonly #seen = new Map<string, ReceivedNotification[]>();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly pollMs: number,
    /** Silences firedrill created (`--silence`): alerts they hold still count as routed. */
    private readonly ownSilences: ReadonlySet<string> = new Set(),
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
    const alerts = await getJson<RoutedAlert[]>(`${this.baseUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=false`);
    const now = Date.now();
    for (const alert of alerts) {
      if (this.#seen.has(alert.fingerprint)) continue;
      const inhibited = alert.status.inhibitedBy.length > 0;
      const foreignSilence = alert.status.silencedBy.some((id) => !this.ownSilences.has(id));
      if (inhibited || foreignSilence || alert.status.state === 'unprocessed') continue;
      this.#seen.set(
        alert.fingerprint,
        alert.receivers.map((r) => ({ receiver: r.name, status: 'firing', alertname: alert.labels.alertname ?? '', labels: alert.labels, fingerprint: alert.fingerprint, atMs: now })),
      );
    }
  }

  /** One firing "notification" per receiver an alert was routed to, at the poll that first saw it routable. */
  notifications(): readonly ReceivedNotification[] {
    return [...this.#seen.values()].flat();
  }

  /** Alertmanager's notification counters now, per integration. */
  async deliveryCounts(): Promise<DeliveryCounts> {
    const response = await request(`${this.baseUrl}/metrics`, { headersTimeout: CONTROL_CALL_TIMEOUT_MS, bodyTimeout: CONTROL_CALL_TIMEOUT_MS });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`GET ${this.baseUrl}/metrics answered ${response.statusCode}`);
    const counts: DeliveryCounts = {};
    for (const family of parsePrometheusTextFormat(text)) {
      const field = family.name === 'alertmanager_notifications_total' ? 'sent' : family.name === 'alertmanager_notifications_failed_total' ? 'failed' : undefined;
      if (!field) continue;
      for (const m of family.metrics) {
        const integration = m.labels?.integration ?? 'unknown';
        counts[integration] ??= { sent: 0, failed: 0 };
        counts[integration][field] += Number(m.value ?? 0);
      }
    }
    return counts;
  }
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
