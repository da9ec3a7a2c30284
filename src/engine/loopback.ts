import { FiredrillError } from '../errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Load and fault traffic may only go to this machine's loopback; anything else is refused. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!LOOPBACK_HOSTS.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new FiredrillError('BAD_INPUT', `refusing to send traffic to ${url}: firedrill only sends load and faults to 127.0.0.1`);
  }
}
