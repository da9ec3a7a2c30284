import type { AlertmanagerClient } from './alertmanager-client.ts';

/** What Alertmanager showed about one alert (by fingerprint) over the run. */
export interface SuppressionRecord {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly inhibitedBy: Set<string>; // fingerprints
  /** The first poll that listed it. */
  readonly firstSeenAtMs: number;
  firstSuppressedAtMs: number | null;
  lastSuppressedAtMs: number | null;
}

/**
 * Samples Alertmanager's API v2 on an interval, because suppression is only visible while it
 * lasts. Fingerprints are remembered so `inhibitedBy` can be resolved to alertnames later.
 */
export class AlertmanagerPoller {
  readonly #records = new Map<string, SuppressionRecord>();
  readonly #alertnames = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #lastError: string | undefined;
  #polls = 0;
  #failures = 0;

  constructor(
    private readonly client: AlertmanagerClient,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#inFlight ??= this.poll().finally(() => (this.#inFlight = undefined));
    }, this.pollMs);
  }

  /** Stops polling; with `finalPoll`, waits for the poll under way and takes one more (not when Alertmanager is known dead or hung). */
  async stop(finalPoll = true): Promise<void> {
    clearInterval(this.#timer);
    if (!finalPoll) return;
    await this.#inFlight;
    await this.poll();
  }

  /**
   * Why suppression data may be missing: set once any poll failed, since a suppression that lasted
   * only while Alertmanager did not answer was never seen. Verdicts resting on it have no data.
   */
  gap(): string | undefined {
    return this.#failures === 0 ? undefined : `${this.#failures} of ${this.#polls} Alertmanager polls failed (last: ${this.#lastError})`;
  }

  async poll(): Promise<void> {
    let alerts;
    this.#polls += 1;
    try {
      alerts = await this.client.alerts();
    } catch (error) {
      this.#failures += 1;
      this.#lastError = (error as Error).message;
      return;
    }
    const now = Date.now();
    for (const alert of alerts) {
      this.#alertnames.set(alert.fingerprint, alert.labels.alertname ?? alert.fingerprint);
      let record = this.#records.get(alert.fingerprint);
      if (!record) {
        record = { fingerprint: alert.fingerprint, labels: alert.labels, inhibitedBy: new Set(), firstSeenAtMs: now, firstSuppressedAtMs: null, lastSuppressedAtMs: null };
        this.#records.set(alert.fingerprint, record);
      }
      if (alert.status.state === 'suppressed' && alert.status.inhibitedBy.length > 0) {
        for (const source of alert.status.inhibitedBy) record.inhibitedBy.add(source);
        record.firstSuppressedAtMs ??= now;
        record.lastSuppressedAtMs = now;
      }
    }
  }

  records(): SuppressionRecord[] {
    return [...this.#records.values()];
  }

  alertnameOf(fingerprint: string): string {
    return this.#alertnames.get(fingerprint) ?? `unknown alert ${fingerprint}`;
  }
}
