import { createServer } from 'node:net';
import type { FiredrillError } from '../errors.ts';
import { claimPort, type PortClaim } from './port-claim.ts';

/**
 * Ports handed out are drawn below Linux's ephemeral range (32768-60999), so no outgoing
 * connection (load traffic opens thousands) takes one as its source port between our check and
 * the service's own bind; a random draw keeps concurrent firedrill processes apart.
 */
const PORT_RANGE = { from: 20_000, to: 32_767 } as const;
const ATTEMPTS = 50;
const reserved = new Map<number, PortClaim>();

/**
 * A free TCP port on 127.0.0.1, never one handed out by this or another firedrill process and not
 * yet released: the claim (port-claim.ts) holds it while nothing listens on it, as when a fault has
 * killed its process and it will restart there.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
    if (reserved.has(port)) continue;
    const claim = await claimPort(port);
    if (!claim) continue;
    if (!(await bindable(port)) || reserved.has(port)) {
      claim.release();
      continue;
    }
    reserved.set(port, claim);
    return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${PORT_RANGE.from} and ${PORT_RANGE.to} after ${ATTEMPTS} tries`);
}

/**
 * Draws a free port and hands it to `bind` (which listens on it, or has a thread or process do
 * so); a port taken between the draw and the bind (`PORT_TAKEN`) is given back and another drawn,
 * up to `attempts` in all. Any other failure gives the port back and is thrown as it is.
 */
export async function bindOnFreePort<T>(bind: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await bind(port);
    } catch (error) {
      releasePort(port);
      if (attempt >= attempts || (error as FiredrillError).code !== 'PORT_TAKEN') throw error;
    }
  }
}

/** Gives a port back once whatever listened on it has stopped. */
export function releasePort(port: number): void {
  reserved.get(port)?.release();
  reserved.delete(port);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
