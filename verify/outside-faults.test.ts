// Every outside fault kind, on THE_BOT, a system with no fault endpoint: each shows its effect in
// the service's own metrics or in an exporter's, as Prometheus scrapes them, and its revert takes
// the effect away. Real PostgreSQL, Redis, exporters, node_exporter on the simulated host, real
// proxies; nothing in the services knows about firedrill.
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import type { Scenario } from '../src/scenario/define-scenario.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { fault, type FaultSpec } from '../src/faults/fault-spec.ts';
import { PrometheusClient } from '../src/observe/prometheus-client.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';
import type { StartedStack } from '../src/stack/started-stack.ts';
import { waitFor } from '../src/stack/wait-for.ts';

// Each fault waits for a scrape or two and a short window; timeout waits out the backend's 10 s query timeout.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

let stack: StartedStack;
let prometheus: PrometheusClient;
const traffic = new AbortController();
// Every request of the traffic loop listens to it.
setMaxListeners(0, traffic.signal);

/** Steady requests to both services, so that the services' own metrics move. */
async function drive(signal: AbortSignal): Promise<void> {
  const backend = stack.serviceUrls.get('backend')!;
  const frontend = stack.serviceUrls.get('frontend')!;
  const send = (url: string, method: 'GET' | 'POST', body?: string) =>
    request(url, { method, body, headers: { 'content-type': 'application/json' }, headersTimeout: 30_000, bodyTimeout: 30_000, signal })
      .then((r) => r.body.dump())
      .catch(() => undefined);
  while (!signal.aborted) {
    // Not awaited one by one: a slow dependency must not slow the arrivals down.
    void send(`${backend}/api/messages/`, 'POST', '{"chat": 2}');
    void send(`${backend}/api/messages/?chat=${1 + Math.floor(Math.random() * 8)}`, 'GET');
    void send(`${frontend}/`, 'GET');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until an instant PromQL query returns something (or nothing), naming the query and what it saw. */
async function until(what: string, query: string, present = true): Promise<void> {
  const scrapeMs = stack.compiled.scrapeIntervalMs;
  await waitFor(
    `${what} (${query} ${present ? 'returns a series' : 'returns nothing'})`,
    async () => {
      const result = await prometheus.instant(query, Date.now());
      const seen = result.length === 0 ? 'no series' : result.map((r) => `${JSON.stringify(r.metric)}=${r.value[1]}`).join(', ');
      return (result.length > 0) === present ? { value: true, seen } : { seen };
    },
    // An effect needs a scrape or two, a few-second window, and (timeout) the backend's 10 s query timeout.
    { timeoutMs: 40 * scrapeMs + 15_000, pollMs: scrapeMs },
  );
}

/** Injects, waits for the effect, reverts, waits for the effect to go. */
async function drill(spec: FaultSpec, what: string, effect: string, gone = `absent(${effect}) == 1`): Promise<void> {
  const record = await stack.faults.inject(spec);
  try {
    await until(`${what} after ${spec.kind}(${spec.target})`, effect);
  } finally {
    await stack.faults.revert(record.id);
  }
  await until(`${what} gone after reverting ${spec.kind}(${spec.target})`, gone);
}

const SLOW_STATEMENTS = 'sum(rate(django_db_execute_time_seconds_count[2s])) - sum(rate(django_db_execute_time_seconds_bucket{le="0.5"}[2s])) > 0.5';
const DB_ERRORS = 'increase(django_request_exceptions_total{exception_type="OperationalError"}[2s]) > 0';

beforeAll(async () => {
  const config = await loadConfig('firedrill.config.ts');
  stack = await startNativeStack(compileSystem(config.systems.find((s) => s.name === 'thebot')!, 'auto'), { scrapeFaultTargets: 'all' });
  prometheus = new PrometheusClient(stack.prometheusUrl);
  void drive(traffic.signal);
  await until('the backend serving traffic', 'rate(django_request_total{endpoint="/api/messages/",status="201"}[2s]) > 0');
});
afterAll(async () => {
  traffic.abort();
  await stack?.stop();
});

describe('dependency proxy faults show in the backend\'s and the frontend\'s own metrics', () => {
  it('latency: statements slower than 0.5 s in django_db_execute_time_seconds', () => drill(fault.latency('db', '400ms', { jitter: '50ms' }), 'slow statements', SLOW_STATEMENTS));
  it('bandwidth: a throttled link makes statements slow too', () => drill(fault.bandwidth('db', 400), 'slow statements', SLOW_STATEMENTS));
  it('reset: OperationalError in django_request_exceptions_total', () => drill(fault.reset('db'), 'database errors', DB_ERRORS));
  it('refuse: OperationalError as well', () => drill(fault.refuse('db'), 'database errors', DB_ERRORS));
  it('timeout: statements hang until the backend gives up, then OperationalError', () => drill(fault.timeout('db'), 'database errors', DB_ERRORS));
  it('http_status on the HTTP upstream: the frontend answers 502', () =>
    drill(fault.httpStatus('api', 503), 'frontend 502s', 'increase(nodejs_http_request_total{status="502"}[2s]) > 0'));
  it('latency on the HTTP upstream: the frontend is slower', () =>
    drill(fault.latency('api', '1s'), 'slow frontend pages', 'histogram_quantile(0.5, sum by (le) (rate(nodejs_http_latency_ms_bucket[2s]))) > 900'));
});

describe('process faults on managed dependencies show in their exporters', () => {
  it('stop PostgreSQL: pg_up 0, back to 1 when started again', () => drill(fault.stop('db'), 'PostgreSQL down', 'pg_up == 0', 'pg_up == 1'));
  it('pause Redis: redis_exporter cannot answer for it', () => drill(fault.pause('cache'), 'Redis hung', 'redis_up == 0 or up{job="redis"} == 0', 'redis_up == 1 and up{job="redis"} == 1'));
  it('restart PostgreSQL: killed and started again, its statistics reset by the crash recovery, down for a measured while', async () => {
    const record = await stack.faults.inject(fault.restart('db', { gap: '0s' }));
    expect(record.downMs).toBeGreaterThan(0);
    await until('the crash-recovered server\'s counters starting over', 'resets(pg_stat_database_xact_commit{datname="thebot"}[30s]) > 0');
    await until('PostgreSQL up again', 'pg_up == 1');
    await stack.faults.revert(record.id); // done already; the record says so, as a drill's end does
  });
  it('kill an exporter: its job goes down', () => drill(fault.kill('redis-exporter'), 'exporter down', 'up{job="redis"} == 0', 'up{job="redis"} == 1'));
});

describe('scrape-path faults spoil what Prometheus gets, not the service', () => {
  it('scrape_timeout: up 0 for the backend while it serves', () => drill(fault.scrapeTimeout('backend'), 'backend scrape down', 'up{job="django"} == 0', 'up{job="django"} == 1'));
  it('scrape_error: up 0 for the frontend', () => drill(fault.scrapeError('frontend', 503), 'frontend scrape down', 'up{job="nodejs"} == 0', 'up{job="nodejs"} == 1'));
  it('scrape_drop: one family gone, the target still up', () =>
    drill(fault.dropMetric('backend', 'django_request_total'), 'django_request_total dropped', 'absent(django_request_total{job="django"}) == 1 and on() up{job="django"} == 1', 'django_request_total{job="django"}'));
});

describe('host faults show in node_exporter, reading the simulated host', () => {
  const busy = '100 - avg(rate(node_cpu_seconds_total{mode="idle"}[2s])) * 100';
  it('cpu', () => drill(fault.cpu('web', 95), 'CPU busy', `${busy} > 85`, `${busy} < 50`));
  it('memory', () => drill(fault.memory('web', 90), 'memory used', 'node_memory:usage_percent > 85', 'node_memory:usage_percent < 50'));
  it('disk_io', () => {
    const ops = 'sum(rate(node_disk_reads_completed_total[2s]) + rate(node_disk_writes_completed_total[2s]))';
    return drill(fault.diskIo('web', 3000), 'disk busy', `${ops} > 2000`, `${ops} < 500`);
  });
  it('load', () => drill(fault.load('web', 6), 'load', 'node_load1 > 5', 'node_load1 < 1'));
  it('disk_fill: a real small filesystem, 90% full', () => {
    const free = 'node_filesystem_avail_bytes{mountpoint="/data"} / node_filesystem_size_bytes{mountpoint="/data"}';
    return drill(fault.diskFill('web', 90), 'filesystem full', `${free} < 0.15`, `${free} > 0.5`);
  });
});

describe('bad outside faults are refused, naming the field', () => {
  it('a negative latency, a status that is not an error, a kind a dependency lacks', async () => {
    await expect(stack.faults.inject({ target: 'db', kind: 'latency', params: { ms: -5 } })).rejects.toThrow(/params\.ms: -5 is not a number of milliseconds > 0/);
    await expect(stack.faults.inject(fault.httpStatus('api', 200))).rejects.toThrow(/params\.status/);
    await expect(stack.faults.inject(fault.httpStatus('db', 503))).rejects.toThrow(/dependency 'db' has no fault 'http_status'/);
    await expect(stack.faults.inject(fault.cpu('web', 150))).rejects.toThrow(/params\.percent/);
    await expect(stack.faults.inject(fault.latency('backend', '1s'))).rejects.toThrow(/service 'backend' has no fault 'latency' \(it has no fault endpoint/);
  });
});

describe('interrupted while every outside fault holds, the run reverts them all before it returns', () => {
  const drill: Scenario = {
    name: 'outside-interrupted',
    system: 'thebot',
    duration: '30m',
    traffic: [{ service: 'frontend', rps: 5, requests: [{ method: 'GET', path: '/' }] }],
    faults: [
      { at: '0s', fault: fault.latency('db', '300ms') },
      { at: '0s', fault: fault.httpStatus('api', 503, 0.5) },
      { at: '0s', fault: fault.pause('cache') },
      { at: '0s', fault: fault.dropMetric('frontend', 'nodejs_http_request_total') },
      { at: '0s', fault: fault.cpu('web', 95) },
      { at: '0s', fault: fault.diskFill('web', 90) },
      { at: '0s', fault: fault.kill('redis-exporter') },
    ],
    expect: [{ kind: 'mayFire', alert: 'HighCPUUsage' }],
  };
  let interruptedWith: unknown;
  beforeAll(async () => {
    const earlier = stack.faults.records().length;
    const ctrlC = new AbortController();
    const running = runScenario(stack, drill, { engine: new BuiltinEngine(), signal: ctrlC.signal });
    await waitFor(
      'every outside fault to be in force',
      async () => {
        const active = stack.faults.records().slice(earlier).filter((r) => r.revertedAtMs === null).length;
        return active === drill.faults.length ? { value: true, seen: `${active} active` } : { seen: `${active} active` };
      },
      { timeoutMs: 30_000, pollMs: 100 },
    );
    ctrlC.abort();
    interruptedWith = await running.catch((error: unknown) => error);
  });

  it('stops with an error that says it was interrupted, every fault reverted', () => {
    expect(String(interruptedWith)).toContain('interrupted');
    expect(stack.faults.records().filter((r) => r.revertedAtMs === null)).toEqual([]);
  });

  it('leaves the dependencies, the exporters, the scrapes and the host as they were', async () => {
    await until('Redis answering and its exporter back', 'redis_up == 1 and on() up{job="redis"} == 1');
    await until('the frontend family scraped again', 'nodejs_http_request_total{job="nodejs"}');
    await until('the host idle again', '100 - avg(rate(node_cpu_seconds_total{mode="idle"}[2s])) * 100 < 50');
    await until('the data filesystem emptied', 'node_filesystem_avail_bytes{mountpoint="/data"} / node_filesystem_size_bytes{mountpoint="/data"} > 0.5');
    await until('no slow statements', `absent(${SLOW_STATEMENTS}) == 1`);
    const page = await request(`${stack.serviceUrls.get('frontend')}/`, { headersTimeout: 10_000 });
    await page.body.dump();
    expect(page.statusCode).toBe(200);
  });
});
