import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection, not the message (RFC 9110 7.6.1), so a proxy does not
 * pass them on. `host` is set by the client towards the upstream, as nginx does by default, and
 * `expect` is answered by the proxy's own server.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect']);

/** A request's headers as `[name, value, name, value, ...]`, repeats kept, without hop-by-hop ones. */
export function endToEndRequestHeaders(rawHeaders: readonly string[], connection: string | undefined): string[] {
  const dropped = droppedNames(connection);
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!dropped.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/** A response's headers without hop-by-hop ones; the proxy's server frames the body itself. */
export function endToEndResponseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const connection = headers.connection;
  const dropped = droppedNames(Array.isArray(connection) ? connection.join(',') : connection);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dropped.has(name.toLowerCase())));
}

/** The fixed hop-by-hop names plus any the `Connection` header lists. */
function droppedNames(connection: string | undefined): Set<string> {
  const listed = (connection ?? '').split(',').map((name) => name.trim().toLowerCase());
  return new Set([...HOP_BY_HOP, ...listed.filter((name) => name !== '')]);
}
