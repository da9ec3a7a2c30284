import { createServer, type Server } from 'node:net';

/**
 * A claim on a TCP port that every firedrill process on this machine honours: a listening socket
 * in Linux's abstract namespace, named after the port. Two gates at once (CI runs several) each
 * draw ports from the same range; without a claim, a port whose process a fault has killed looks
 * free to the other gate until the process restarts on it (seen: a restarted Redis failed with
 * "Failed listening on port"). The kernel drops the socket when its process ends, however it ends,
 * so a claim can neither outlive its holder nor leave anything on disk.
 */
export interface PortClaim {
  release(): void;
}

/** Elsewhere abstract sockets do not exist: a claim is then only this process's own record. */
const ABSTRACT_SOCKETS = process.platform === 'linux';

/** The claim on `port`, or undefined when another process (or thread) holds it. */
export function claimPort(port: number): Promise<PortClaim | undefined> {
  if (!ABSTRACT_SOCKETS) return Promise.resolve({ release: () => undefined });
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen({ path: `\0firedrill-port-${port}` }, () => resolve({ release: () => void server.close() }));
  });
}
