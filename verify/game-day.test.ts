// Game days (`firedrill run --stack external`) against a stack firedrill did not start (one with
// no firedrill part at all: game-day-plain.test.ts): the
// staging stand-in is `firedrill up --scale 1` of verify/gameday/ in another process, with short
// `for` and windows so that real-time drills take seconds. The game day reads the stand-in's
// rules and routes from its APIs, sends traffic to its service and faults to its fault
// controller, and judges firing, routing and inhibition from its own Prometheus and Alertmanager.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpJson } from '../src/observe/http-json.ts';
import type { RunResult } from '../src/report/run-result.ts';
import { waitFor } from '../src/stack/wait-for.ts';
import { GAMEDAY_CONFIG, startStandIn, type StandIn } from './gameday-stand-in.ts';
import { firedrillIn } from './game-day-command.ts';
import { ARTIFACTS_DIR, openReport } from './report-browser.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const work = mkdtempSync(path.join(os.tmpdir(), 'firedrill-gameday-'));
const journalDir = path.join(work, '.firedrill', 'journal');
let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn?.stop();
  rmSync(work, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ ...process.env, ...standIn.env, ...extra });

const firedrill = (args: string[], extra: Record<string, string> = {}) => firedrillIn(work, args, { ...standIn.env, ...extra });

const gameDay = (args: string[], extra: Record<string, string> = {}) => firedrill(['run', '--stack', 'external', '--config', GAMEDAY_CONFIG, ...args], extra);

const readResult = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult;
const activeFaults = async () => (await standIn.faults()).filter((f) => f.revertedAtMs === null);

// Real time: a drill takes as long as it says (about 40 s for gd-outage with its settle).
describe('a game day on a stack firedrill did not start', { timeout: 240_000 }, () => {
  it('refuses, before anything is touched, a scale other than 1, a target not on the allowlist, and an alert or receiver the stack does not have', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--scale', '10'], {}, /^firedrill: --scale 10: a game day runs in real time .*; use --scale 1 or leave it out\n$/],
      [[], { GAMEDAY_ALLOW: standIn.env.GAMEDAY_FAULTS! }, /^firedrill: systems\.gameday\.external\.services\.api: http:\/\/127\.0\.0\.1:\d+ is not on systems\.gameday\.external\.allow; add .* there .*\n$/],
      [[], { GAMEDAY_SCENARIOS: 'unknown-alert' }, /^firedrill: .*gd-typo\.ts: expect\[0\]\.alert: no alert 'GameApiDwn' in the rules of system gameday; known: GameApiBusy, GameApiDown, GameApiSilent\n$/],
      [[], { GAMEDAY_SCENARIOS: 'unknown-receiver' }, /^firedrill: .*gd-wrong-team\.ts: expect\[1\]\.receiver: no receiver 'oncall' in http:\/\/127\.0\.0\.1:\d+\/api\/v2\/status; known: pager, tickets\n$/],
    ];
    for (const [args, extra, message] of cases) {
      const run = await gameDay(['--yes', ...args], extra);
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(2);
    }
    expect(await standIn.faults()).toEqual([]);
    expect(await standIn.silences()).toEqual([]);
    expect(existsSync(journalDir)).toBe(false);
  });

  it('judges firing, routing and inhibition from the stack itself, with the evidence named, and writes the HTML report', async () => {
    const json = path.join(work, 'gd.json');
    const html = path.join(work, 'gd.html');
    const run = await gameDay(['gd-outage', '--yes', '--json', json, '--html', html]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('game day on system gameday, in real time (scale 1)');
    expect(run.stdout).toContain('the receivers WILL be notified');
    const result = readResult(json);
    expect(result).toMatchObject({ ok: true, stack: 'external', scale: 1, gameDay: { silenced: false } });
    const [drill] = result.scenarios;
    expect(drill!.expectations.map((e) => [e.kind, e.ok])).toEqual([
      ['fires', true],
      ['notifies', true],
      ['inhibitedBy', true],
      ['resolves', true],
      ['unexpected', true],
    ]);
    for (const e of drill!.expectations) expect(e.evidence).toBeTruthy();
    const notifies = drill!.expectations.find((e) => e.kind === 'notifies')!;
    expect(notifies.evidence).toContain('/api/v2/alerts/groups');
    expect(notifies.detail).toMatch(/reached pager .*Alertmanager's notifications during the drill: webhook [1-9]\d* sent, 0 failed/);
    expect(drill!.delivery!.webhook!.sent).toBeGreaterThan(0);
    expect(drill!.alerts.find((a) => a.alertname === 'GameApiSilent')!.inhibitedBy).toEqual(['GameApiDown']);
    // The fault went through the stand-in's own controller and came back out.
    expect((await standIn.faults()).map((f) => [f.spec.kind, f.spec.target, f.revertedAtMs !== null])).toEqual([['kill', 'api', true]]);
    expect(readdirSync(journalDir)).toEqual([]); // everything undone: the journal is gone

    const page = await openReport(html, path.join(ARTIFACTS_DIR, 'html-report-game-day.png'));
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('firedrill game day: PASS');
    expect(page.charts.length).toBeGreaterThan(0);
    expect(page.empty).toEqual([]);
    expect(page.text).toContain('receivers were notified as in production');
  });

  it('with --silence keeps every receiver quiet while Alertmanager still routes and inhibits, and removes its silences after', async () => {
    const json = path.join(work, 'quiet.json');
    const run = await gameDay(['gd-quiet-page', '--yes', '--silence', '--json', json]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const [drill] = readResult(json).scenarios;
    expect(drill!.expectations.find((e) => e.kind === 'notifies')!.detail).toContain('silenced by firedrill (--silence): routed, not delivered');
    expect(drill!.expectations.find((e) => e.kind === 'inhibitedBy')!.ok).toBe(true);
    expect(drill!.delivery).toEqual({}); // Alertmanager sent nothing during the drill
    const silences = await standIn.silences();
    expect(silences.filter((s) => s.createdBy === 'firedrill').map((s) => s.status.state)).toEqual(['expired']);
    expect(readdirSync(journalDir)).toEqual([]);
  });

  it('stops a drill whose abort guard trips, reverts every fault and says which guard and what it saw', async () => {
    const json = path.join(work, 'aborted.json');
    const run = await gameDay(['gd-outage', '--yes', '--json', json], { GAMEDAY_ABORT_WHEN: 'ALERTS{alertname="GameApiDown",alertstate="firing"}' });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const [drill] = readResult(json).scenarios;
    expect(drill!.aborted).toMatchObject({ guard: 'API too quiet' });
    expect(drill!.aborted!.detail).toContain('returned {');
    expect(drill!.expectations).toEqual([expect.objectContaining({ ok: false, detail: expect.stringMatching(/^aborted at .* by 'API too quiet': .*; every fault was reverted$/) })]);
    expect(drill!.faults.map((f) => [f.kind, f.revertedAt !== null])).toEqual([['kill', true]]);
    expect(await activeFaults()).toEqual([]);
    expect((await httpJson('GET', `${standIn.env.GAMEDAY_API}/`)).status).toBe(200); // the API is back
    expect(readdirSync(journalDir)).toEqual([]);
  });

  it('leaves a journal when the runner is killed with SIGKILL mid-fault, and firedrill revert takes the fault back out', async () => {
    const runner = spawn(process.execPath, [BIN, 'run', '--stack', 'external', '--config', GAMEDAY_CONFIG, 'gd-outage', '--yes'], { cwd: work, env: env(), stdio: 'ignore' });
    const ended = once(runner, 'exit');
    // The drill injects its fault 5 s in; wait for the stand-in to hold it.
    await waitFor('the game day to kill the API through the stand-in', async () => {
      const active = await activeFaults();
      return { value: active.length > 0 ? true : undefined, seen: `${active.length} active faults` };
    }, { timeoutMs: 60_000, pollMs: 200 });
    runner.kill('SIGKILL');
    await ended;
    const [journal] = readdirSync(journalDir);
    expect(journal).toMatch(/\.jsonl$/);
    expect(await activeFaults()).toHaveLength(1); // nobody reverted it

    const noToken = await firedrill(['revert'], { GAMEDAY_FAULT_TOKEN: '' });
    expect(noToken.stderr).toMatch(/^firedrill: revert: .*\$GAMEDAY_FAULT_TOKEN is not set; export the fault controller's token in it\n$/);
    expect(noToken.status).toBe(2);
    expect(await activeFaults()).toHaveLength(1);

    const revert = await firedrill(['revert']);
    expect(revert.stderr).toBe('');
    expect(revert.stdout).toMatch(/^reverted fault kill\(api\) \(gd\S+ on http:\/\/127\.0\.0\.1:\d+\): reverted\n$/);
    expect(revert.status).toBe(0);
    expect(await activeFaults()).toEqual([]);
    expect((await httpJson('GET', `${standIn.env.GAMEDAY_API}/`)).status).toBe(200);
    expect(readdirSync(journalDir)).toEqual([]);

    const again = await firedrill(['revert']);
    expect(again.stdout).toContain('nothing to revert');
    expect(again.status).toBe(0);
  });
});

// Last: its 60 rps (the busy drill's traffic, on the curve) could leave GameApiBusy firing for a drill after it.
describe('firedrill populate --live on a stack firedrill did not start', { timeout: 120_000 }, () => {
  it("sends the traffic model to the stack's services on its allowlist, and injects no fault", async () => {
    const faultsBefore = (await standIn.faults()).length;
    const run = await firedrill(['populate', 'gameday', '--stack', 'external', '--config', GAMEDAY_CONFIG, '--live', '10s', '--exit']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('mean traffic from scenario gd-busy (api 60 rps), no incidents (an external stack gets traffic only; drill its faults with a game day)');
    const sent = Number(/live done: (\d+) requests/.exec(run.stdout)?.[1]);
    // 60 rps at the curve's factor of the hour (0.4 to 1.6) for 10 s
    expect(sent).toBeGreaterThan(60 * 0.4 * 10 * 0.8);
    // the stand-in's controller lists every fault of the game days before; none was added
    expect((await standIn.faults()).length).toBe(faultsBefore);
  });

  it('refuses a service not on the allowlist before sending anything', async () => {
    const run = await firedrill(['populate', 'gameday', '--stack', 'external', '--config', GAMEDAY_CONFIG, '--live', '10s', '--exit'], { GAMEDAY_ALLOW: standIn.env.GAMEDAY_FAULTS! });
    expect(run.stderr).toMatch(/^firedrill: systems\.gameday\.external\.services\.api: http:\/\/127\.0\.0\.1:\d+ is not on systems\.gameday\.external\.allow; add .* there .*\n$/);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toContain('live done');
  });
});
