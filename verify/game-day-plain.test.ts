// A game day on a stack with no firedrill part at all (verify/plain-stand-in.ts: Prometheus,
// Alertmanager and a service started by hand, the team's receiver a webhook of the test's), whose
// team routes a copy of every notification to firedrill. In a file of its own, beside
// game-day.test.ts: each drill is real time (about 40 s), and the two files' stand-ins are apart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/report/run-result.ts';
import { firedrillIn } from './game-day-command.ts';
import { GAMEDAY_CONFIG } from './gameday-stand-in.ts';
import { startPlainStandIn, type PlainStandIn } from './plain-stand-in.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'firedrill-gameday-plain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const firedrill = (args: string[], env: Record<string, string>) => firedrillIn(work, args, env);
const readResult = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult;

describe('a game day on a stack with no firedrill part at all, whose team routes a copy of every notification to firedrill', { timeout: 240_000 }, () => {
  let staging: PlainStandIn;
  beforeAll(async () => {
    staging = await startPlainStandIn();
  });
  afterAll(async () => {
    await staging?.stop();
  });

  it('takes notification times from the webhook copy, receivers from Alertmanager, and never counts the copy as a receiver', async () => {
    const json = path.join(work, 'busy.json');
    const run = await firedrill(['run', '--stack', 'external', '--config', GAMEDAY_CONFIG, 'gd-busy', '--yes', '--json', json], { ...staging.env, GAMEDAY_FAULTS: '', GAMEDAY_FAULT_TOKEN: '' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const [drill] = readResult(json).scenarios;
    const notifies = drill!.expectations.find((e) => e.kind === 'notifies')!;
    expect(notifies).toMatchObject({ ok: true, evidence: expect.stringContaining("firedrill's webhook (continue: true)") });
    const busy = drill!.alerts.find((a) => a.alertname === 'GameApiBusy')!;
    // Only a webhook copy carries a resolved notification: Alertmanager's routing alone shows firing ones.
    expect(busy.notifications.map((n) => [n.receiver, n.status])).toEqual([
      ['tickets', 'firing'],
      ['tickets', 'resolved'],
    ]);
    expect(Date.parse(busy.notifications[0]!.at)).toBeGreaterThanOrEqual(Date.parse(busy.firingAt!));
    // The team's own receiver got it too: the stand-in was not rewired.
    expect(staging.received).toEqual(expect.arrayContaining([{ receiver: 'tickets', status: 'firing', alertname: 'GameApiBusy' }]));
  });

  it('fails the routing verdict when the receiver is routed to but its integration is broken, though the webhook copy got through', async () => {
    staging.broken.add('tickets');
    const json = path.join(work, 'broken-tickets.json');
    const run = await firedrill(['run', '--stack', 'external', '--config', GAMEDAY_CONFIG, 'gd-busy', '--yes', '--json', json], { ...staging.env, GAMEDAY_FAULTS: '', GAMEDAY_FAULT_TOKEN: '' });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const [drill] = readResult(json).scenarios;
    expect(drill!.expectations.map((e) => [e.kind, e.ok])).toEqual([
      ['mayFire', true],
      ['notifies', false],
      ['unexpected', true],
    ]);
    expect(drill!.expectations[1]!.detail).toMatch(/reached tickets .*; but notifications failed \(webhook \d+ sent, [1-9]\d* failed/);
    expect(drill!.webhookCopies).toBeGreaterThan(0);
  });
});
