// The CLI as users run it: exit codes, one-line errors, and cleanup on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants, descendantsSeen, survivors } from './process-helpers.ts';
import { buildProgram } from '../src/cli/main.ts';
import { waitFor } from '../src/stack/wait-for.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const firedrill = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
/** firedrill run to its end without blocking, so that several can run at once. */
const firedrillAsync = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });


const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const made = (dir: string) => (temporary.push(dir), dir);

describe('firedrill CLI', () => {
  it('exits 2 with a one-line error naming the unknown scenario', () => {
    const run = firedrill(['run', 'no-such-drill']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      "firedrill: scenario 'no-such-drill' not found; known: api-errors, api-hang, api-latency, api-outage, baseline, cache-misses, circuit-breaker, db-pool-exhausted, generation-latency, llm-errors, llm-provider-failure, low-throughput, metrics-endpoint-broken, slow-queries, telegram-rate-limit, thebot-backend-down, thebot-baseline, thebot-connection-resets, thebot-cpu, thebot-disk-io, thebot-memory-critical, thebot-memory-high, thebot-postgres-down, thebot-slow-database, thebot-stuck-transactions, worker-outage, worker-restart, worker-stall",
    );
  });

  it('gate and up neither offer nor take --stack external (they start stacks of their own), which run and populate offer', async () => {
    // Two processes at once: one after another they near the test's timeout on a busy machine.
    const refused = await Promise.all([['gate', '--stack', 'external'], ['up', '--stack', 'external']].map(firedrillAsync));
    const refusal = "firedrill: option '--stack <provider>' argument 'external' is invalid. Allowed choices are native, containers. (see firedrill --help)";
    expect(refused.map((r) => [r.code, r.stderr.trim()])).toEqual([[2, refusal], [2, refusal]]);
    // The help text in process: the same commands the binary builds.
    const help = (name: string) => buildProgram().commands.find((c) => c.name() === name)!.helpInformation();
    expect(['gate', 'up'].map((name) => help(name).includes('external'))).toEqual([false, false]);
    for (const name of ['run', 'populate']) expect(help(name)).toMatch(/or\s+external \(a running stack/);
  });

  it('exits 2 when --engine k6 is asked for and no k6 binary exists, saying what to do', () => {
    const run = spawnSync(process.execPath, [BIN, 'run', 'api-outage', '--engine', 'k6'], { encoding: 'utf8', env: { ...process.env, PATH: path.dirname(process.execPath), K6_BIN: '' } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('firedrill: --engine k6: no k6 binary found; put k6 on PATH or set K6_BIN, or use --engine builtin');
  });

  it('build writes one k6 script per named scenario and lists it', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'firedrill-build-'));
    const run = firedrill(['build', 'api-outage', 'worker-outage', '--out', out]);
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['api-outage.js', 'worker-outage.js']);
    expect(run.stdout).toMatch(/api-outage\.js +\d+\.\d KiB +api-outage \(piyasa, scale 40, 1 traffic \+ 4 fault scenarios\)/);
    rmSync(out, { recursive: true, force: true });
  });

  it('exits 2 on an unsafe scale, naming the interval and the largest safe scale', () => {
    const run = firedrill(['run', 'api-outage', '--scale', '100']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'firedrill: system piyasa: scale 100 makes scrape_configs piyasa-chatbot-api scrape_interval 10s -> 100ms, below the 250ms floor (and 10 more); use --scale 40 or less',
    );
  });

  it('exits 2 on a missing config file, saying what to do', () => {
    const run = firedrill(['run', '--config', 'nope.config.ts']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('firedrill: nope.config.ts: config file not found; run firedrill from the project root or pass --config <file>');
  });

  it('exits 2 with one line on a bad --jobs, a bad --shard and a shard left without a scenario', () => {
    const cases: [string[], string][] = [
      [['run', '--jobs', '0'], "firedrill: option '--jobs <n>' argument '0' is invalid. '0' is not a number of stacks; use a whole number >= 1 (see firedrill --help)"],
      [['gate', '--shard', '3/2'], "firedrill: option '--shard <i/n>' argument '3/2' is invalid. write it as i/n with 1 <= i <= n, e.g. --shard 1/3 (see firedrill --help)"],
      [['run', 'api-outage', '--shard', '2/2'], 'firedrill: --shard 2/2: this shard has no scenario (1 selected); use at most 1 shards'],
      [['runn'], "firedrill: unknown command 'runn' (Did you mean run?) (see firedrill --help)"],
    ];
    for (const [args, message] of cases) {
      const run = firedrill(args);
      expect([run.status, run.stderr], args.join(' ')).toEqual([2, `${message}\n`]);
    }
  }, 90_000); // four CLI starts one after another: on a loaded machine each takes seconds (seen: 32 s in all)

  it('exits 2 before anything starts on an expectation that cannot fail, naming the file, the alert and the time it needs', () => {
    const project = made(mkdtempSync(path.join(os.tmpdir(), 'firedrill-vacuous-')));
    const src = path.resolve('src/index.ts');
    const fixture = path.resolve('fixtures/piyasa');
    writeFileSync(
      path.join(project, 'firedrill.config.ts'),
      `import { defineConfig } from '${src}';
export default defineConfig({
  systems: { piyasa: { prometheus: '${fixture}/prometheus.yml', alertmanager: '${fixture}/alertmanager.yml', services: {
    api: { command: ['true'], job: 'piyasa-chatbot-api' }, worker: { command: ['true'], job: 'piyasa-chatbot-worker' } } } },
  scenarios: 'scenarios',
});
`,
    );
    writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
    mkdirSync(path.join(project, 'scenarios'));
    // The worker-restart drill as it was: 4m after the restart, WorkerNoMessages (5m window + 5m for) cannot fire at all.
    writeFileSync(
      path.join(project, 'scenarios', 'restart.ts'),
      `import { defineScenario, expectAlert, fault } from '${src}';
export default defineScenario({ name: 'restart', system: 'piyasa', duration: '6m', traffic: [], faults: [{ at: '2m', fault: fault.restart('worker') }],
  expect: [expectAlert('WorkerDown').toNotFire(), expectAlert('WorkerNoMessages').toNotFire()] });
`,
    );
    const tmp = made(mkdtempSync(path.join(os.tmpdir(), 'firedrill-vacuous-tmp-')));
    const run = spawnSync(process.execPath, [BIN, 'run', '--config', 'firedrill.config.ts', '--json', 'r.json'], { cwd: project, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'firedrill: scenarios/restart.ts: expect[1]: WorkerNoMessages toNotFire() cannot fail: 4m of the drill follow its first fault, and the rule needs 10m15s to fire (range 5m + for 5m + one evaluation 15s); make the scenario at least 12m15s long\n',
    );
    expect(readdirSync(project).sort()).toEqual(['firedrill.config.ts', 'package.json', 'scenarios']); // nothing written
    expect(readdirSync(tmp).filter((d) => d.startsWith('firedrill-'))).toEqual([]); // no run directory: nothing started
  });

  async function startDrill(args: string[] = ['api-outage']) {
    const tmp = made(mkdtempSync(path.join(os.tmpdir(), 'firedrill-sigint-')));
    const child = spawn(process.execPath, [BIN, 'run', ...args], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const output = { stderr: '' };
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    const runDirs = () => readdirSync(tmp).filter((d) => d.startsWith('firedrill-'));
    return { tmp, child, exited, output, runDirs };
  }

  async function interruptAndCheck(drill: Awaited<ReturnType<typeof startDrill>>) {
    const before = descendantsSeen(drill.child.pid!);
    drill.child.kill('SIGINT');
    expect(await drill.exited).toBe(130);
    expect(drill.output.stderr).toContain('SIGINT: reverting faults and stopping the stack');
    const left = await survivors(before);
    expect(left).toEqual([]);
    expect(drill.runDirs()).toEqual([]); // the run directory is removed too
  }

  it('on Ctrl-C while the stack is starting, stops every process it started and exits 130', async () => {
    const drill = await startDrill();
    await waitFor(
      'Prometheus to be starting (its data directory exists)',
      async () => {
        const dirs = drill.runDirs();
        const starting = dirs.length === 1 && readdirSync(path.join(drill.tmp, dirs[0]!)).includes('prometheus-data');
        return starting ? { value: true, seen: 'starting' } : { seen: `run dirs: ${dirs.join(', ') || 'none'}` };
      },
      { timeoutMs: 60_000, pollMs: 50 },
    );
    await interruptAndCheck(drill);
  }, 120_000);

  it('on Ctrl-C with faults active (API killed, latency injected), stops everything and exits 130', async () => {
    const drill = await startDrill();
    await waitFor('the drill to start', async () => (drill.output.stderr.includes('> api-outage: stack ready') ? { value: true, seen: '' } : { seen: drill.output.stderr }), {
      timeoutMs: 60_000,
      pollMs: 100,
    });
    const servicesAtStart = descendants(drill.child.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('services/api.ts'));
    expect(servicesAtStart).toHaveLength(1);
    // The api process disappears when the scenario's kill fault is injected (rule time 4m).
    await waitFor('the kill fault to take the api process down', async () => (alive(servicesAtStart[0]!) ? { seen: 'api still running' } : { value: true, seen: '' }), {
      timeoutMs: 60_000,
      pollMs: 100,
    });
    await interruptAndCheck(drill);
  }, 120_000);

  it('on Ctrl-C with a pool of three drills running (one API paused by SIGSTOP), stops every stack and exits 130', async () => {
    const drill = await startDrill(['api-hang', 'worker-outage', 'db-pool-exhausted', '--jobs', '3']);
    await waitFor(
      'all three drills to start',
      async () => {
        const started = ['api-hang', 'worker-outage', 'db-pool-exhausted'].filter((name) => drill.output.stderr.includes(`> ${name}: stack ready`));
        return started.length === 3 ? { value: true, seen: '' } : { seen: `started: ${started.join(', ') || 'none'}` };
      },
      { timeoutMs: 90_000, pollMs: 100 },
    );
    expect(drill.runDirs()).toHaveLength(3); // a stack of its own for each
    const pausedApi = () =>
      descendants(drill.child.pid!).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('services/api.ts') && /^\d+ \(.*\) T/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      });
    await waitFor('api-hang to pause its API (SIGSTOP)', async () => (pausedApi().length === 1 ? { value: true, seen: '' } : { seen: 'no stopped api process' }), { timeoutMs: 60_000, pollMs: 50 });
    await interruptAndCheck(drill);
  }, 180_000);
});
