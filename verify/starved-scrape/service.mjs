// Serves `/` and /metrics. Once it has served STALL_AFTER requests of drill traffic (traffic that
// that came after Prometheus first scraped it: a warm-up runs before Prometheus starts), every /metrics request of
// the next STALL_MS is held until that span ends, far past a scaled scrape timeout.
// STALL_MODE: `once` stalls only if STALL_MARKER does not exist yet (and creates it), `always`
// stalls in every life, `error` answers those requests 500 at once instead, `error-once` does that
// only if STALL_MARKER does not exist yet. `slow-restart` never stalls: each time it is started
// again on the same port (STALL_MARKER-born-PORT exists), it listens only after SLOW_START_MS, as
// a slow start-up on a loaded machine does. `starve-once` and `block-once` hold the main thread
// instead, once in the first life: `starve-once` with STARVED_WORK_MS of CPU work while kept off
// the CPU by two spinning processes on the same core (itself at the idle scheduling class, they at
// the lowest priority, so that nothing else on the machine is held back): a starved CPU, really;
// `block-once` asleep for STALL_MS (as a service waiting on its database is), never runnable. Env: PORT.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { Counter, Registry } from 'prom-client';

const STALL_AFTER = 20;
const STALL_MS = 4_000;
const STARVED_WORK_MS = 300;
const SLOW_START_MS = 6_500;
const STALLING = new Set(['once', 'always', 'error', 'error-once']);
const mode = process.env.STALL_MODE;
const marker = process.env.STALL_MARKER;

const registry = new Registry();
const requests = new Counter({ name: 'api_requests_total', help: 'Requests served', registers: [registry] });
let scraped = false;
let drillRequests = 0;
let stallUntil = 0;

/** Creates `file` if it is not there yet; false if it was. */
function createOnce(file) {
  try {
    fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/** How long this life waits before listening: SLOW_START_MS when it was started again, else none. */
function startDelayMs() {
  if (mode !== 'slow-restart') return 0;
  // A stack's first life on its port; a restart keeps the port, a fresh stack draws another.
  return createOnce(`${marker}-born-${process.env.PORT}`) ? 0 : SLOW_START_MS;
}

/**
 * Holds the main thread: asleep for STALL_MS, or busy with STARVED_WORK_MS of CPU work (which alone
 * ends well within a scrape timeout) while kept off its core, so that only the starvation makes
 * its scrapes time out.
 */
function holdMainThread(starved) {
  if (!starved) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS);
    return;
  }
  const pid = String(process.pid);
  const mask = /mask:\s*([0-9a-f,]+)/.exec(execFileSync('taskset', ['-p', pid], { encoding: 'utf8' }))?.[1];
  // Spawned first: a child inherits its parent thread's scheduling class and cores. Each ends on
  // its own a little after the hold, should this process die first.
  const spin = `const end = Date.now() + ${STALL_MS + 1_000}; while (Date.now() < end) {}`;
  const spinners = [0, 1].map(() => spawn('nice', ['-n', '19', 'taskset', '-c', '0', process.execPath, '-e', spin], { stdio: 'ignore' }).on('error', () => undefined));
  try {
    // -p without -a: the main thread alone, the one that serves HTTP and whose wait firedrill reads.
    execFileSync('taskset', ['-p', '-c', '0', pid], { stdio: 'ignore' });
    execFileSync('chrt', ['--idle', '-p', '0', pid], { stdio: 'ignore' });
    const start = process.cpuUsage();
    const spent = () => {
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1_000;
    };
    while (spent() < STARVED_WORK_MS) {
      // busy, runnable: the work a starved service still has to do
    }
  } finally {
    for (const spinner of spinners) spinner.kill('SIGKILL');
    for (const restore of [['chrt', ['--other', '-p', '0', pid]], ...(mask ? [['taskset', ['-p', mask, pid]]] : [])]) {
      try {
        execFileSync(restore[0], restore[1], { stdio: 'ignore' });
      } catch {
        // not allowed back (no CAP_SYS_NICE): the service stays at the idle class, slower but alive
      }
    }
  }
}

function stallsThisLife() {
  if (mode !== 'once' && mode !== 'error-once') return true;
  return createOnce(marker); // false: an earlier life stalled already
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/metrics') {
    // The stack's own readiness check reads /metrics too, before the warm-up: only Prometheus counts.
    if (req.headers['user-agent']?.startsWith('Prometheus/')) scraped = true;
    const now = Date.now();
    if (now < stallUntil) {
      if (mode === 'error' || mode === 'error-once') {
        res.writeHead(500).end('stalled\n');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, stallUntil - now));
    }
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
    return;
  }
  requests.inc();
  if (scraped && ++drillRequests === STALL_AFTER) {
    if (STALLING.has(mode) && stallsThisLife()) stallUntil = Date.now() + STALL_MS;
    if ((mode === 'starve-once' || mode === 'block-once') && createOnce(marker)) setImmediate(() => holdMainThread(mode === 'starve-once'));
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
});
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1'), startDelayMs());
