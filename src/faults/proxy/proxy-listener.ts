import type { Server, Socket } from 'node:net';
import { FiredrillError } from '../../errors.ts';
import { bindOnFreePort, releasePort } from '../../stack/free-port.ts';

/**
 * A proxy's listening socket on 127.0.0.1, which a refuse fault closes and its revert opens again
 * on the same port. Without a port given it takes one from freePort() (through bindOnFreePort), below the ephemeral range,
 * so that no outgoing connection can take the port while a refuse has it closed.
 */
export class ProxyListener {
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #listening = false;
  #ownsPort = false;

  private constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  static async open(server: Server, port: number | undefined): Promise<ProxyListener> {
    const listener = new ProxyListener(server);
    if (port !== undefined) {
      listener.#port = port;
      await listener.reopen();
      return listener;
    }
    listener.#ownsPort = true;
    return bindOnFreePort(async (free) => {
      listener.#port = free;
      await listener.reopen();
      return listener;
    });
  }

  get port(): number {
    return this.#port;
  }

  get listening(): boolean {
    return this.#listening;
  }

  /** Listens again on the same port. */
  async reopen(): Promise<void> {
    if (this.#listening) return;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: NodeJS.ErrnoException) => {
        const taken = error.code === 'EADDRINUSE';
        const message = taken
          ? `fault proxy: port ${this.port} on 127.0.0.1 is taken by another process; give the proxy a free port`
          : `fault proxy: cannot listen on 127.0.0.1:${this.port}: ${error.message}`;
        reject(new FiredrillError(taken ? 'PORT_TAKEN' : 'ENVIRONMENT', message, { cause: error }));
      };
      this.server.once('error', fail);
      this.server.listen({ host: '127.0.0.1', port: this.port, exclusive: true }, () => {
        this.server.off('error', fail);
        resolve();
      });
    });
    this.#listening = true;
  }

  /** Stops listening, so connecting gets ECONNREFUSED, and closes every connection it accepted. */
  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Closes for good and gives the port back when freePort() chose it. */
  async stop(): Promise<void> {
    await this.close();
    if (this.#ownsPort) releasePort(this.port);
  }
}
