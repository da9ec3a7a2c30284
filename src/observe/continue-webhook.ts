import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/** Alertmanager's posts are a few kilobytes; anything far larger is not one. */
const MAX_BODY_BYTES = 1 << 20;

interface WebhookPayload {
  alerts?: { status?: string; fingerprint?: string }[];
}

/**
 * Where a staging Alertmanager sends a copy of every notification when the team adds a first
 * route `{ receiver: firedrill, continue: true }` with a webhook to this address: the exact times
 * Alertmanager dispatched each alert's notifications. Only times are taken from it; which
 * receivers an alert reached still comes from Alertmanager's own routing, so a forged post can
 * shift a time but never make an alert look routed.
 */
export class ContinueWebhook {
  /** Every time a notification of each alert arrived, by status: drills of the same alert follow each other. */
  readonly #firing = new Map<string, number[]>();
  readonly #resolved = new Map<string, number[]>();
  #posts = 0;

  private constructor(private readonly server: Server) {}

  static async listen(address: string): Promise<ContinueWebhook> {
    const [host, port] = address.split(':');
    const webhook: ContinueWebhook = new ContinueWebhook(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        req.on('end', () => {
          if (size > MAX_BODY_BYTES) return void res.writeHead(413).end();
          const atMs = Date.now();
          if (req.method === 'POST') webhook.#record(Buffer.concat(chunks).toString('utf8'), atMs);
          res.writeHead(req.method === 'POST' ? 200 : 405).end();
        });
      }),
    );
    webhook.server.listen(Number(port), host);
    await Promise.race([once(webhook.server, 'listening'), once(webhook.server, 'error').then(([error]) => Promise.reject(error as Error))]);
    return webhook;
  }

  #record(body: string, atMs: number): void {
    let payload: WebhookPayload;
    try {
      payload = JSON.parse(body) as WebhookPayload;
    } catch {
      return;
    }
    this.#posts += 1;
    for (const alert of payload.alerts ?? []) {
      if (!alert.fingerprint) continue;
      const times = alert.status === 'resolved' ? this.#resolved : this.#firing;
      times.set(alert.fingerprint, [...(times.get(alert.fingerprint) ?? []), atMs]);
    }
  }

  /** When Alertmanager first notified this alert as firing (or resolved) at or after `sinceMs`, in epoch ms. */
  firstNotified(fingerprint: string, status: 'firing' | 'resolved', sinceMs: number): number | undefined {
    return (status === 'firing' ? this.#firing : this.#resolved).get(fingerprint)?.find((t) => t >= sinceMs);
  }

  /** Notification posts received so far: Alertmanager counts each as a webhook notification. */
  posts(): number {
    return this.#posts;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
