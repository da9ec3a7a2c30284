import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** One alert in one webhook notification, as a receiver got it. */
export interface ReceivedNotification {
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly atMs: number;
}

interface WebhookPayload {
  alerts?: { status?: string; labels?: Record<string, string>; fingerprint?: string }[];
}

/**
 * Stands in for every receiver: Alertmanager's webhooks land here, one URL per receiver. The
 * URL carries a per-run secret that only the run's compiled Alertmanager config knows, so no
 * other local process can forge a notification; anything else is refused and not recorded.
 */
export class WebhookSink {
  readonly #notifications: ReceivedNotification[] = [];
  readonly #server: Server;
  readonly #secret = randomBytes(24).toString('hex');
  #port = 0;
  #refused = 0;

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const atMs = Date.now();
        const receiver = this.#receiverOf(req.method ?? '', req.url ?? '');
        if (receiver === undefined) {
          this.#refused += 1;
          res.writeHead(404).end();
          return;
        }
        try {
          this.#record(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload, receiver, atMs);
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
  }

  static async start(): Promise<WebhookSink> {
    const sink = new WebhookSink();
    sink.#server.listen(0, '127.0.0.1');
    await once(sink.#server, 'listening');
    const address = sink.#server.address();
    sink.#port = typeof address === 'object' && address ? address.port : 0;
    return sink;
  }

  /** Base URL of the receivers; a receiver's webhook is this plus `/` and its URI-encoded name. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}/${this.#secret}/receivers`;
  }

  notifications(): readonly ReceivedNotification[] {
    return [...this.#notifications];
  }

  /** Posts refused because they did not carry the run's secret. */
  get refused(): number {
    return this.#refused;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /**
   * The receiver a post is for, from its URL: the name exactly as configured. (The payload's own
   * `receiver` field is Alertmanager's quoted form, `web\.hook` for `web.hook`.)
   */
  #receiverOf(method: string, url: string): string | undefined {
    const prefix = `/${this.#secret}/receivers/`;
    const given = Buffer.from(url.slice(0, prefix.length));
    if (method !== 'POST' || given.length !== prefix.length || !timingSafeEqual(given, Buffer.from(prefix))) return undefined;
    const name = url.slice(prefix.length);
    if (name === '' || name.includes('/')) return undefined;
    try {
      return decodeURIComponent(name);
    } catch {
      return undefined;
    }
  }

  #record(payload: WebhookPayload, receiver: string, atMs: number): void {
    for (const alert of payload.alerts ?? []) {
      const labels = alert.labels ?? {};
      this.#notifications.push({
        receiver,
        status: alert.status === 'resolved' ? 'resolved' : 'firing',
        alertname: labels.alertname ?? '',
        labels,
        fingerprint: alert.fingerprint ?? '',
        atMs,
      });
    }
  }
}
