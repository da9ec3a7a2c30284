import { createServer } from 'node:net';
import { badInput } from '../../errors.ts';
import { FaultProxyCore } from './fault-proxy-core.ts';
import { ProxiedConnection, type TcpUpstream } from './proxied-connection.ts';
import type { FaultProxy } from './proxy-fault.ts';
import { ProxyListener } from './proxy-listener.ts';

export interface TcpFaultProxyOptions {
  /** The dependency (a PostgreSQL, a Redis) the service would otherwise connect to. */
  readonly upstream: TcpUpstream;
  /** Default: a free port from freePort(). */
  readonly port?: number;
}

/**
 * Starts a byte-level proxy on 127.0.0.1 in front of a TCP dependency; the service is given its
 * `address` instead of the dependency's.
 * @example await using proxy = await startTcpFaultProxy({ upstream: { host: '127.0.0.1', port: 6379 } });
 */
export async function startTcpFaultProxy(options: TcpFaultProxyOptions): Promise<FaultProxy> {
  const { host, port } = options.upstream;
  if (host !== '127.0.0.1' || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw badInput(`tcp fault proxy: upstream ${String(host)}:${String(port)} is not on 127.0.0.1; firedrill only proxies to this machine, write { host: '127.0.0.1', port: <1-65535> }`);
  }
  // Half-open: a client that has sent all it will send may still be waiting for the answer.
  const server = createServer({ allowHalfOpen: true });
  const core = new FaultProxyCore('tcp', await ProxyListener.open(server, options.port));
  server.on('connection', (client) => {
    const connection = new ProxiedConnection(client, core.faults, { host, port }, () => core.inFlight.delete(connection));
    core.inFlight.add(connection);
    void connection.open();
  });
  return core;
}
