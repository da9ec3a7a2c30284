import { connect, createServer, type Server, type Socket } from 'node:net';

/** Test helpers: a TCP echo server and a client that waits on conditions, never on fixed sleeps. */

/** An echo upstream on 127.0.0.1 that counts what reached it. */
export class EchoServer {
  receivedBytes = 0;
  connectionsSeen = 0;
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<EchoServer> {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const echo = new EchoServer(server, port);
    server.on('connection', (socket) => {
      echo.connectionsSeen++;
      echo.#sockets.add(socket);
      socket.on('close', () => echo.#sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        echo.receivedBytes += chunk.length;
        socket.write(chunk);
      });
    });
    return echo;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A node:net client that records what it received and how it ended. */
export class TestClient {
  readonly #chunks: Buffer[] = [];
  readonly #watchers = new Set<() => void>();
  receivedBytes = 0;
  /** The error code it ended with (ECONNRESET for a RST), if any. */
  errorCode: string | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('connect', () => this.#changed());
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.receivedBytes += chunk.length;
      this.#changed();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.errorCode ??= error.code ?? error.message;
      this.#changed();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#changed();
    });
  }

  /** Starts connecting to 127.0.0.1:port; a failure to connect is recorded like any other error. */
  static open(port: number): TestClient {
    return new TestClient(connect({ host: '127.0.0.1', port }));
  }

  /** Connects to 127.0.0.1:port; rejects with the connect error (ECONNREFUSED when nothing listens). */
  static async connect(port: number): Promise<TestClient> {
    const client = TestClient.open(port);
    await client.until('the connection to open', () => client.connected || client.closed);
    if (!client.connected) throw Object.assign(new Error(`connect to 127.0.0.1:${port} failed with ${client.errorCode}`), { code: client.errorCode });
    return client;
  }

  get connected(): boolean {
    return !this.socket.connecting && !this.closed && this.errorCode === undefined;
  }

  received(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** What the client has seen, for failure messages. */
  describe(): string {
    return `${this.receivedBytes} bytes received${this.closed ? `, closed${this.errorCode ? ` with ${this.errorCode}` : ''}` : ', open'}`;
  }

  /** Sends `payload` to an echo upstream and returns the milliseconds until all of it came back. */
  async roundTripMs(payload: string | Buffer, timeoutMs = 5_000): Promise<number> {
    const expected = this.receivedBytes + Buffer.byteLength(payload);
    const startedAt = performance.now();
    this.socket.write(payload);
    await this.until(`the echo of ${Buffer.byteLength(payload)} bytes`, () => this.receivedBytes >= expected, timeoutMs);
    return performance.now() - startedAt;
  }

  /** The fastest of `count` round trips: one quick trip proves a delay is gone, whatever the load. */
  async fastestRoundTripMs(count: number, payload: () => string | Buffer = () => 'ping\n'): Promise<number> {
    let fastest = Infinity;
    for (let i = 0; i < count; i++) fastest = Math.min(fastest, await this.roundTripMs(payload()));
    return fastest;
  }

  /** Resolves when the socket has closed; returns the error code it closed with, or 'closed' for a clean close. */
  async closedWith(timeoutMs = 5_000): Promise<string> {
    await this.until('the connection to close', () => this.closed, timeoutMs);
    return this.errorCode ?? 'closed';
  }

  /** Waits, event by event, until `holds()`; a failed wait names what it waited for and what the client saw last. */
  until(what: string, holds: () => boolean, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!holds()) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${this.describe()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      check();
    });
  }

  /**
   * Asserts that nothing reaches or ends the client for `windowMs`: the one way to observe a hang.
   * A proxy that let data through would fail this within a millisecond or two.
   */
  async staysSilent(windowMs: number): Promise<void> {
    const before = this.receivedBytes;
    const happened = await this.until('anything', () => this.receivedBytes > before || this.closed, windowMs).then(
      () => true,
      () => false,
    );
    if (happened) throw new Error(`expected no data and no close for ${windowMs} ms; saw ${this.describe()}`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  #changed(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}

/** The error code of connecting to 127.0.0.1:port, or 'connected'. */
export async function connectOutcome(port: number): Promise<string> {
  try {
    (await TestClient.connect(port)).destroy();
    return 'connected';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
