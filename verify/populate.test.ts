// `firedrill populate`: days of history for the fixture systems' dashboards, made from a short real
// run of their services and backfilled with promtool, then every panel of every fixture dashboard
// checked over it. Piyasa's week is served by the stack populate starts; THE_BOT (recording rules
// backfilled too) and Bot-Core (its services in containers) write blocks with --out while it is
// made, served here by a plain Prometheus. Every preview opens in Chromium with data in every chart. Bad input, and
// Ctrl-C while recording, leave nothing behind.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../src/observe/http-json.ts';
import { withBlocksPrometheus } from '../src/populate/blocks-prometheus.ts';
import { descendants, descendantsSeen, survivors } from './process-helpers.ts';
import { ARTIFACTS_DIR, openReport } from './report-browser.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const BOTCORE_CONFIG = 'fixtures/botcore/firedrill.config.ts';
const work = mkdtempSync(path.join(os.tmpdir(), 'firedrill-verify-populate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PopulateSummary {
  prometheus: string | null;
  populatedSeconds: number;
  history: { from: string; to: string; series: number; samples: number; segments: number; recordingRules: number };
}

const workDirs = () => readdirSync(os.tmpdir()).filter((d) => d.startsWith('firedrill-populate-'));

async function query(prometheus: string, promql: string, atMs: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const body = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}&time=${atMs / 1000}`);
  return body.data.result;
}

/** Every preview page in `dir` opens in Chromium without an error, with `charts` charts each and data in all of them. */
async function expectPreviewsWithData(dir: string, name: string, charts: number[]): Promise<void> {
  const pages = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
  const rendered = await Promise.all(pages.map((page) => openReport(path.join(dir, page), path.join(ARTIFACTS_DIR, `${name}-${page.replace(/\.html$/, '.png')}`))));
  expect(rendered.map((r) => r.errors)).toEqual(pages.map(() => []));
  expect(rendered.map((r) => r.charts.length)).toEqual(charts);
  expect(rendered.flatMap((r) => r.empty)).toEqual([]);
}

function checkDashboards(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, 'dashboards', 'check', ...args], { encoding: 'utf8' });
}

/** `firedrill populate <args>` in the background, its stdout and stderr kept together. */
function startPopulate(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'populate', ...args]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Resolves once the output matches `pattern`; throws with all of it when populate exits or `timeoutMs` passes first. */
async function waitForOutput(populate: ReturnType<typeof startPopulate>, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(populate.output())) {
    if (populate.child.exitCode !== null) throw new Error(`populate exited ${populate.child.exitCode} before printing ${pattern}:\n${populate.output()}`);
    if (Date.now() > deadline) throw new Error(`populate did not print ${pattern} in ${timeoutMs / 1000} s; it printed:\n${populate.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ctrl-C: exit 130, no process of its tree left running, and no work directory left but those there `before`. */
async function expectInterruptedCleanly(child: ChildProcessWithoutNullStreams, before: string[]): Promise<void> {
  const tree = descendantsSeen(child.pid!);
  child.kill('SIGINT');
  await once(child, 'exit');
  expect(child.exitCode).toBe(130);
  expect(await survivors(tree)).toEqual([]);
  expect(workDirs()).toEqual(before);
}

describe('firedrill populate --history 7d on Piyasa, served by its stack', () => {
  let populate: ReturnType<typeof startPopulate>;
  let summary: PopulateSummary;
  const summaryFile = path.join(work, 'piyasa.json');
  const before = workDirs();

  beforeAll(async () => {
    populate = startPopulate(['piyasa', '--history', '7d', '--json', summaryFile]);
    // About 90 s alone on 2 cores (14 segments, a 12 s slow-generation incident among them), then the serving stack.
    await waitForOutput(populate, /ready for dashboards/, 280_000);
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as PopulateSummary;
  }, 290_000);

  afterAll(async () => {
    if (!populate || populate.child.exitCode !== null) return;
    await expectInterruptedCleanly(populate.child, before);
  }, 60_000);

  it('grades every panel of the Production Overview ok over the seven days, and its preview shows data in every chart', async () => {
    const preview = path.join(work, 'piyasa-preview');
    const check = checkDashboards(['--system', 'piyasa', '--prometheus', summary.prometheus!, '--from', summary.history.from, '--to', summary.history.to, '--preview', preview]);
    expect(check.stdout).toContain('23/23 panel queries return data');
    expect(check.status).toBe(0);
    await expectPreviewsWithData(preview, 'populated-piyasa', [18]);
  });

  it("holds a production scrape every 10 s for 7 days, and counters that never reset", async () => {
    const end = Date.parse(summary.history.to);
    const [scrapes] = await query(summary.prometheus!, 'count_over_time(up{job="piyasa-chatbot-api"}[7d])', end);
    expect(Number(scrapes!.value[1])).toBeGreaterThan(0.99 * 60_480);
    expect(Number(scrapes!.value[1])).toBeLessThanOrEqual(60_480);
    const resets = await query(summary.prometheus!, 'max(resets(http_requests_total[7d])) + max(resets(messages_generated_total[7d]))', end);
    expect(resets[0]!.value[1]).toBe('0');
  });

  it('follows the diurnal curve: the API gets about 20 x 0.4 requests a second at 03:00 UTC and 20 x 1.35 at 15:00 (the levels recorded)', async () => {
    const end = Date.parse(summary.history.to);
    const days = [1, 2, 3, 4, 5, 6].map((d) => Math.floor(end / 86_400_000) * 86_400_000 - d * 86_400_000);
    const rateAt = async (ms: number) => Number((await query(summary.prometheus!, 'sum(rate(http_requests_total{job="piyasa-chatbot-api"}[10m]))', ms))[0]!.value[1]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const night = median(await Promise.all(days.map((d) => rateAt(d + 3 * 3_600_000))));
    const afternoon = median(await Promise.all(days.map((d) => rateAt(d + 15 * 3_600_000))));
    expect(night).toBeGreaterThan(8 * 0.8);
    expect(night).toBeLessThan(8 * 1.2);
    expect(afternoon).toBeGreaterThan(27 * 0.8);
    expect(afternoon).toBeLessThan(27 * 1.2);
  });

  it('invents no metric: every family in the history is one a target of the stack exposes', async () => {
    const prometheus = summary.prometheus!;
    const names = (await query(prometheus, 'group by (__name__) ({job!=""})', Date.parse(summary.history.to) - 3_600_000)).map((r) => r.metric.__name__!);
    const metadata = (await getJson<{ data: Record<string, unknown> }>(`${prometheus}/api/v1/metadata`)).data;
    const family = (name: string) => [name, name.replace(/_(bucket|count|sum|total)$/, '')].some((n) => n in metadata) || name === 'up' || name.startsWith('scrape_');
    // Not vacuous: the contract's 21 families (a histogram's bucket, count and sum each a name), the
    // process metrics, up and scrape_* (39 names when Piyasa's services stopped exporting Node.js's runtime families).
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !family(n))).toEqual([]);
  });
});

interface PopulateRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Populates still running, stopped (Ctrl-C, which stops their stacks) if the file ends first. */
const background = new Set<ChildProcessWithoutNullStreams>();
afterAll(async () => {
  await Promise.all([...background].map(async (child) => {
    child.kill('SIGINT');
    await once(child, 'exit');
  }));
}, 60_000);

/** `firedrill populate <args> --out <work>/<name> --json <work>/<name>.json` with a TMPDIR of its own, so that its work directory is not among the ones the other tests count. */
function populateOutInBackground(args: string[], name: string): Promise<PopulateRun> {
  const tmp = path.join(work, `${name}-tmp`);
  mkdirSync(tmp);
  const child = spawn(process.execPath, [BIN, 'populate', ...args, '--out', path.join(work, name), '--json', path.join(work, `${name}.json`)], { env: { ...process.env, TMPDIR: tmp } });
  background.add(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const overdue = setTimeout(() => child.kill('SIGINT'), 240_000);
  return new Promise((resolve) =>
    child.once('close', (status, signal) => {
      clearTimeout(overdue);
      background.delete(child);
      resolve({ status, signal, stderr });
    }),
  );
}

/**
 * THE_BOT's and Bot-Core's days of history, made while Piyasa's week is: each populate spends most
 * of its minute recording at its scrape interval's pace, with the machine mostly idle (seen in CI
 * one after the other: 10-40% busy for a minute and a half).
 */
const outRuns: Record<'thebot' | 'botcore', Promise<PopulateRun>> = {
  thebot: populateOutInBackground(['thebot', '--history', '1d'], 'thebot'),
  botcore: populateOutInBackground(['botcore', '--history', '1d', '--config', BOTCORE_CONFIG], 'botcore'),
};

/** A populate --out run's blocks, served by a plain Prometheus for `check`. */
async function servedOut(name: keyof typeof outRuns, check: (prometheus: string, summary: PopulateSummary) => Promise<void>): Promise<void> {
  const run = await outRuns[name];
  expect(run.stderr).toBe('');
  expect([run.status, run.signal]).toEqual([0, null]);
  const out = path.join(work, name);
  const summary = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as PopulateSummary;
  expect(summary.prometheus).toBeNull();
  expect(readdirSync(out).length).toBeGreaterThan(0);
  const served = path.join(work, `${name}-served`);
  cpSync(out, served, { recursive: true });
  await withBlocksPrometheus(served, work, AbortSignal.timeout(120_000), (url) => check(url, summary));
}

describe('firedrill populate --out', () => {
  it("THE_BOT, a day: blocks for any Prometheus, its recording rules backfilled, and every panel of its overview ok", async () => {
    await servedOut('thebot', async (prometheus, summary) => {
      expect(summary.history.recordingRules).toBe(4);
      const [recorded] = await query(prometheus, 'count_over_time(django_request:rate5m[1d])', Date.parse(summary.history.to));
      // evaluated every 15 s over the day, less the first 5m window that is not full yet
      expect(Number(recorded!.value[1])).toBeGreaterThan(0.95 * 5_760);
      const preview = path.join(work, 'thebot-preview');
      const check = checkDashboards(['--system', 'thebot', '--prometheus', prometheus, '--from', summary.history.from, '--to', summary.history.to, '--scrape-interval', '15s', '--preview', preview]);
      expect(check.stdout).toContain('18/18 panel queries return data');
      expect(check.status).toBe(0);
      await expectPreviewsWithData(preview, 'populated-thebot', [14]);
    });
  }, 300_000);

  it('Bot-Core, a day (services from its docker-compose.yml): every panel of its seven dashboards ok', async () => {
    await servedOut('botcore', async (prometheus, summary) => {
      const preview = path.join(work, 'botcore-preview');
      const check = checkDashboards(['--config', BOTCORE_CONFIG, '--prometheus', prometheus, '--from', summary.history.from, '--to', summary.history.to, '--scrape-interval', '15s', '--preview', preview]);
      expect(check.stdout).toContain('31/31 panel queries return data');
      expect(check.status).toBe(0);
      // ai-analysis, api-performance, business-metrics, database-performance, system-overview, trading-performance, websocket-metrics
      await expectPreviewsWithData(preview, 'populated-botcore', [2, 6, 4, 4, 7, 5, 2]);
    });
  }, 300_000);
});

describe('firedrill populate refuses bad input and stops cleanly', () => {
  it.each([
    [[], 'populate: say what to fill: --history [7d] for days of history, --live <span> for the traffic model live, or both'],
    [['--history', '30d'], '--history 30d: write between 1h and 14d (Prometheus keeps 15 days)'],
    [['--history', '7d', '--stack', 'external'], "--history with --stack external: history is recorded on a stack firedrill starts; run populate --stack native --history --out <dir> and move the blocks into your Prometheus' storage"],
    [['--live', '1h', '--stack', 'external'], "system piyasa: --stack external needs systems.piyasa.external in the config (Prometheus and Alertmanager URLs, services, allow)"],
    [['--live', '1h', '--out', 'x'], '--out: it is where --history writes its blocks; add --history'],
    [['--history', '--seed', '-1'], '--seed -1: use a whole number >= 0'],
  ])('%j: one line, exit 2, nothing started or left', (args, message) => {
    const before = workDirs();
    const run = spawnSync(process.execPath, [BIN, 'populate', 'piyasa', ...args], { encoding: 'utf8' });
    expect(run.stderr).toBe(`firedrill: ${message}\n`);
    expect(run.status).toBe(2);
    expect(workDirs()).toEqual(before);
  });

  it('an unknown system names the known ones', () => {
    const run = spawnSync(process.execPath, [BIN, 'populate', 'nope', '--history'], { encoding: 'utf8' });
    expect(run.stderr).toMatch(/^firedrill: populate nope: no system 'nope' in \S*firedrill\.config\.ts; known: piyasa, thebot\n$/);
    expect(run.status).toBe(2);
  });

  it('Ctrl-C while recording stops the recording stack, reverts its faults and removes the work directory', async () => {
    const before = workDirs();
    const populate = startPopulate(['piyasa', '--history', '1d']);
    await waitForOutput(populate, /recorded level/, 60_000);
    expect(descendants(populate.child.pid!).length).toBeGreaterThan(2);
    await expectInterruptedCleanly(populate.child, before);
  }, 90_000);
});
