import { mkdtempSync, readFileSync, rmSync, openSync, readSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FiredrillError } from '../errors.ts';
import { buildK6Script } from '../k6/build-k6-script.ts';
import { K6_ENV, k6Env } from '../k6/k6-env.ts';
import { METRIC } from '../k6/k6-summary.ts';
import type { ScenarioPlan } from '../scenario/plan-types.ts';
import { ManagedProcess } from '../stack/managed-process.ts';
import type { DrillEngine, DrillRunOptions, DrillTargets } from './drill-engine.ts';
import { assertLoopback } from './loopback.ts';
import type { LiveTraffic, TrafficSummary } from './traffic.ts';

/** k6 exits 99 when a threshold failed: the run itself is complete and its summary valid. */
const K6_THRESHOLDS_FAILED = 99;
const LIVE_POLL_MS = 1_000;

/**
 * Runs the scenario's compiled k6 script (the same file `firedrill build` writes) with a k6
 * binary; k6 sends both the traffic and the fault calls. The summary comes from the script's
 * handleSummary, live counts from k6's JSON output.
 */
export class K6Engine implements DrillEngine {
  readonly name = 'k6';

  constructor(private readonly k6Binary: string) {}

  async run(plan: ScenarioPlan, targets: DrillTargets, options: DrillRunOptions): Promise<TrafficSummary> {
    for (const url of [...Object.values(targets.serviceUrls), targets.faults.url]) assertLoopback(url);
    const dir = mkdtempSync(join(tmpdir(), `firedrill-k6-${plan.name}-`));
    try {
      const script = join(dir, `${plan.name}.js`);
      const summaryFile = join(dir, 'summary.json');
      const pointsFile = join(dir, 'points.json');
      await buildK6Script(plan, script);
      const k6 = new ManagedProcess({
        name: 'k6',
        command: this.k6Binary,
        args: ['run', '--quiet', '--no-usage-report', '--out', `json=${pointsFile}`, script],
        // Through the environment (k6 puts it in __ENV), never the command line: any local user can read /proc/<pid>/cmdline.
        env: { ...process.env, ...k6Env({ serviceUrls: targets.serviceUrls, faultUrl: targets.faults.url, faultToken: targets.faults.token }), [K6_ENV.summaryFile]: summaryFile },
        logFile: join(dir, 'k6.log'),
      });
      // Ctrl-C: k6 stops the executors, runs teardown (which reverts this plan's faults) and exits.
      const interrupt = () => k6.signal('SIGINT');
      options.signal.addEventListener('abort', interrupt, { once: true });
      const live = new PointsTail(pointsFile, options.live);
      const poll = setInterval(() => live.read(), LIVE_POLL_MS);
      try {
        const { code } = await k6.exited;
        live.read();
        if (options.signal.aborted) throw new FiredrillError('ENVIRONMENT', `scenario ${plan.name} interrupted`);
        if ((code !== 0 && code !== K6_THRESHOLDS_FAILED) || !existsSync(summaryFile)) {
          throw new FiredrillError('PROCESS_EXITED', `k6 run of ${plan.name} exited with code ${code}; last lines:\n  ${k6.lastLines().join('\n  ')}`);
        }
        return JSON.parse(readFileSync(summaryFile, 'utf8')) as TrafficSummary;
      } finally {
        clearInterval(poll);
        options.signal.removeEventListener('abort', interrupt);
        await k6.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Counts traffic requests and failed checks from k6's JSON output as it grows. */
class PointsTail {
  #offset = 0;
  #partial = '';

  constructor(private readonly file: string, private readonly live: LiveTraffic) {}

  read(): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.#offset);
        if (n === 0) break;
        this.#offset += n;
        const lines = (this.#partial + buffer.subarray(0, n).toString('utf8')).split('\n');
        this.#partial = lines.pop() ?? '';
        for (const line of lines) this.#count(line);
      }
    } finally {
      closeSync(fd);
    }
  }

  #count(line: string): void {
    if (!line.includes('"Point"')) return;
    const point = JSON.parse(line) as { metric: string; data: { value: number } };
    if (point.metric === METRIC.requests) this.live.requests += point.data.value;
    if (point.metric === 'checks' && point.data.value === 0) this.live.failures += 1;
  }
}
