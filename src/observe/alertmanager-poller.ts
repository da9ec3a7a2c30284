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

/** How often to ask: often while Alertmanager holds an alert, less often while it holds none. */
export interface PollIntervals {
  /** While the last answer listed an alert (or failed): a suppression lasting this long is seen. */
  readonly busyMs: number;
  /** While it listed none: nothing can be suppressed until an alert arrives, and a new alert is seen within this. */
  readonly idleMs: number;
}

/**
 * Samples Alertmanager's API v2 on an interval, because suppression is only visible while it
 * lasts. Fingerprints are remembered so `inhibitedBy` can be resolved to alertnames later.
 *
 * An inhibition needs its target at Alertmanager, so while Alertmanager lists no alert at all the
 * poller asks at the idle interval (an evaluation interval: Prometheus sends alerts only when it
 * evaluates), and at the busy one from the first answer that lists any. Asked every third of an
 * evaluation interval throughout, the polls were most of firedrill's HTTP during a drill and over
 * half of Alertmanager's CPU, and most drills hold no alert for most of their time.
 */
export class AlertmanagerPoller {
  readonly #records = new Map<string, SuppressionRecord>();
  readonly #alertnames = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #inFlight: Promise<void> | undefined;
  #lastError: string | undefined;
  #polls = 0;
  #failures = 0;
  /** Whether the last answer listed an alert, or failed (a failure says nothing of what it holds). */
  #busy = false;

  constructor(
    private readonly client: AlertmanagerClient,
    private readonly intervals: PollIntervals,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#schedule(Date.now());
  }

  /** The next poll, an interval after the last one began (not after it ended: a slow answer does not slow the rate). */
  #schedule(lastStartMs: number): void {
    if (this.#stopped) return;
    const interval = this.#busy ? this.intervals.busyMs : this.intervals.idleMs;
    this.#timer = setTimeout(() => {
      const startMs = Date.now();
      this.#inFlight = this.poll().finally(() => {
        this.#inFlight = undefined;
        this.#schedule(startMs);
      });
    }, Math.max(0, lastStartMs + interval - Date.now()));
  }

  /** Stops polling; with `finalPoll`, waits for the poll under way and takes one more (not when Alertmanager is known dead or hung). */
  async stop(finalPoll = true): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (!finalPoll) return;
    await this.#inFlight;
    await this.poll();
  }

  /** How many polls were taken so far. */
  get polls(): number {
    return this.#polls;
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
      this.#busy = true;
      return;
    }
    this.#busy = alerts.length > 0;
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
