import { createServer } from 'node:http';
import { Pool } from 'undici';
import { badInput } from '../../errors.ts';
import { FaultProxyCore } from './fault-proxy-core.ts';
import { ProxiedExchange } from './proxied-exchange.ts';
import type { FaultProxy } from './proxy-fault.ts';
import { ProxyListener } from './proxy-listener.ts';

export interface HttpFaultProxyOptions {
  /** The upstream API's origin, `http://127.0.0.1:<port>`. */
  readonly upstream: string;
  /** Default: a free port from freePort(). */
  readonly port?: number;
}

/**
 * Starts a reverse proxy on 127.0.0.1 in front of an HTTP dependency; the service is given
 * `http://${address}` instead of the dependency's origin. Requests go to the upstream with their
 * method, path, query, end-to-end headers and body; responses stream back.
 * @example await using proxy = await startHttpFaultProxy({ upstream: 'http://127.0.0.1:8080' });
 */
export async function startHttpFaultProxy(options: HttpFaultProxyOptions): Promise<FaultProxy> {
  const origin = loopbackOrigin(options.upstream);
  const pool = new Pool(origin);
  const server = createServer();
  const listener = await ProxyListener.open(server, options.port).catch(async (error: unknown) => {
    await pool.destroy();
    throw error;
  });
  const core = new FaultProxyCore('http', listener, () => pool.destroy());
  server.on('request', (req, res) => {
    const exchange = new ProxiedExchange(req, res, core.faults, { pool, origin }, () => core.inFlight.delete(exchange));
    core.inFlight.add(exchange);
    exchange.handle().catch((error: NodeJS.ErrnoException) => exchange.fail(error));
  });
  return core;
}

function loopbackOrigin(upstream: string): string {
  const url = URL.canParse(upstream) ? new URL(upstream) : undefined;
  const originOnly = url !== undefined && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  if (!url || url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || !originOnly) {
    throw badInput(`http fault proxy: upstream '${upstream}' is not an origin on 127.0.0.1; firedrill only proxies to this machine, write http://127.0.0.1:<port>`);
  }
  return url.origin;
}
