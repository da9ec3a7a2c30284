import { createServer, type Server } from 'node:http';
import { once } from 'node:events';

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
  receiver?: string;
  alerts?: { status?: string; labels?: Record<string, string>; fingerprint?: string }[];
}

/** Stands in for every receiver: Alertmanager's webhooks land here under the receiver's name. */
export class WebhookSink {
  readonly #notifications: ReceivedNotification[] = [];
  readonly #server: Server;
  #port = 0;

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const atMs = Date.now();
        try {
          this.#record(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload, req.url ?? '/', atMs);
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

  get url(): string {
    return `http://127.0.0.1:${this.#port}/receivers`;
  }

  notifications(): readonly ReceivedNotification[] {
    return [...this.#notifications];
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #record(payload: WebhookPayload, url: string, atMs: number): void {
    const receiver = payload.receiver ?? decodeURIComponent(url.split('/').pop() ?? '');
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
