import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Test helpers: an HTTP upstream on 127.0.0.1 and deadline waits on promises. */

/** What the upstream saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * Routes: `/echo` answers 201 with the request as JSON; `/bytes?n=N` answers N bytes; `/count`
 * answers how many body bytes arrived; `/held` sends its first chunk, or with `?late` nothing,
 * and the rest once `release()` is called.
 */
export class TestHttpUpstream {
  readonly seen: SeenRequest[] = [];
  readonly #held = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<TestHttpUpstream> {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const upstream = new TestHttpUpstream(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void upstream.#answer(req, res));
    return upstream;
  }

  /** How many requests with this path (query aside) have arrived. */
  count(path: string): number {
    return this.seen.filter((r) => r.url.split('?')[0] === path).length;
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** Lets every held response finish. */
  release(): void {
    for (const finish of [...this.#held]) finish();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.seen.push(seen);
    const url = new URL(seen.url, this.origin);
    if (url.pathname === '/echo') {
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'echo', connection: 'keep-alive, x-hop', 'x-hop': 'for the proxy only' });
      res.end(JSON.stringify(seen));
    } else if (url.pathname === '/bytes') {
      res.end(Buffer.alloc(Number(url.searchParams.get('n')), 'x'));
    } else if (url.pathname === '/count') {
      res.end(String(Buffer.concat(chunks).length));
    } else if (url.pathname === '/held') {
      if (!url.searchParams.has('late')) res.write('first;');
      const finish = () => {
        this.#held.delete(finish);
        res.end('rest');
      };
      this.#held.add(finish);
      res.once('close', () => this.#held.delete(finish));
    } else {
      res.writeHead(404).end();
    }
  }
}

/** Waits for `promise` at most `timeoutMs`; a failed wait names what it waited for. */
export async function within<T>(timeoutMs: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asserts that `promise` stays unsettled for `windowMs`: the one way to observe a hang. A proxy
 * that answered would settle it within a millisecond or two.
 */
export async function staysPending(promise: Promise<unknown>, windowMs: number, what: string): Promise<void> {
  const settled = await within(windowMs, what, promise.then(
    (value) => `resolved with ${JSON.stringify(value)}`,
    (error: unknown) => `rejected with ${(error as Error).message}`,
  )).catch(() => undefined);
  if (settled !== undefined) throw new Error(`expected ${what} to hang for ${windowMs} ms; it ${settled}`);
}

/** How a request ended: `<status> <body>` or the error code (with its cause's, as undici wraps socket errors). */
export async function outcome(request: Promise<{ statusCode: number; body: { text(): Promise<string> } }>): Promise<string> {
  try {
    const response = await request;
    return `${response.statusCode} ${await response.body.text()}`;
  } catch (error) {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    return [code, cause?.code].filter(Boolean).join(' ') || String(error);
  }
}
