// Traffic shared by the Piyasa scenarios (scenarios/lib is not scanned for scenarios).
import type { TrafficStream } from '../../src/index.ts';

/** The API's read-heavy mix: bots and messages lists (cached), message posts (always a DB write). */
export const API_REQUESTS: TrafficStream['requests'] = [
  { method: 'GET', path: '/api/bots', weight: 3 },
  { method: 'GET', path: '/api/messages', weight: 2 },
  { method: 'POST', path: '/api/messages', weight: 1, body: '{"text":"merhaba"}' },
];

/** Steady API traffic; the worker generates messages on its own, so it needs none. */
export function apiTraffic(rps = 20, options: Pick<TrafficStream, 'ramp' | 'minOkRatio'> = {}): TrafficStream {
  return { service: 'api', rps, requests: API_REQUESTS, ...options };
}
