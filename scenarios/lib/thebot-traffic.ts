// Traffic shared by the THE_BOT scenarios (scenarios/lib is not scanned for scenarios).
import type { TrafficStream } from '../../src/index.ts';

/** The backend's mix: chat reads (cached in Redis), message posts and payments (transactions), assignments. */
export const BACKEND_REQUESTS: TrafficStream['requests'] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((chat) => ({ method: 'GET' as const, path: `/api/messages/?chat=${chat}`, weight: 1 })),
  // No chat in the body: the backend spreads posts over its chats, as real users do (one hot row would serialize them).
  { method: 'POST', path: '/api/messages/', weight: 3, body: '{"text": "merhaba"}' },
  { method: 'POST', path: '/api/assignments/', weight: 1, body: '{"status": "on_time"}' },
  { method: 'POST', path: '/api/payments/', weight: 1, body: '{"method": "card"}' },
];

/** Pages of the Node.js frontend, each a call to the backend through firedrill's HTTP proxy. */
export const FRONTEND_REQUESTS: TrafficStream['requests'] = [
  { method: 'GET', path: '/', weight: 2 },
  { method: 'GET', path: '/dashboard', weight: 1 },
];

export function backendTraffic(rps = 15, options: Pick<TrafficStream, 'ramp' | 'minOkRatio'> = {}): TrafficStream {
  return { service: 'backend', rps, requests: BACKEND_REQUESTS, ...options };
}

export function frontendTraffic(rps = 5, options: Pick<TrafficStream, 'ramp' | 'minOkRatio'> = {}): TrafficStream {
  return { service: 'frontend', rps, requests: FRONTEND_REQUESTS, ...options };
}

/** Every alert of THE_BOT's rules. */
export const THEBOT_ALERTS = [
  'DjangoHighErrorRate', 'DjangoServiceDown', 'PostgreSQLDown', 'HighCPUUsage', 'HighMemoryUsage',
  'CriticalMemoryUsage', 'DjangoHighLatency', 'DjangoSlowQueries', 'LongRunningQueries', 'HighDiskIO',
];
