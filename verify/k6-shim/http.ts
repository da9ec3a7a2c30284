// Synchronous HTTP like k6/http: each call runs one fetch in a child Node process.
import { execFileSync } from 'node:child_process';

export interface ShimResponse {
  status: number;
  body: string;
  timings: { duration: number };
  json(): unknown;
}

export const requests: { method: string; url: string; body: string | null; headers: Record<string, string> }[] = [];

const FETCH = `
const [method, url, body, headers] = JSON.parse(process.argv[1]);
const started = performance.now();
fetch(url, { method, body: body ?? undefined, headers })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text(), ms: performance.now() - started })))
  .catch(() => process.stdout.write(JSON.stringify({ status: 0, body: '', ms: performance.now() - started })));
`;

function request(method: string, url: string, body?: string | null, params: { headers?: Record<string, string> } = {}): ShimResponse {
  const headers = params.headers ?? {};
  requests.push({ method, url, body: body ?? null, headers });
  const out = JSON.parse(execFileSync(process.execPath, ['-e', FETCH, JSON.stringify([method, url, body ?? null, headers])], { encoding: 'utf8' })) as { status: number; body: string; ms: number };
  return { status: out.status, body: out.body, timings: { duration: out.ms }, json: () => JSON.parse(out.body) as unknown };
}

export default {
  request,
  get: (url: string, params?: { headers?: Record<string, string> }) => request('GET', url, null, params),
  post: (url: string, body: string, params?: { headers?: Record<string, string> }) => request('POST', url, body, params),
  del: (url: string, body: string | null, params?: { headers?: Record<string, string> }) => request('DELETE', url, body, params),
};
