// A staging stand-in that firedrill has no part in: Debian's Prometheus and Alertmanager and the
// game-day service started by the test as plain processes, from configs the test writes, with
// real receivers (a webhook server in the test process standing in for a team's pager and ticket
// system) and the team's first route `{ receiver: firedrill, continue: true }` copying every
// notification to the game day's webhook. Nothing in it is rewired by firedrill.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { getJson } from '../src/observe/http-json.ts';
import { findStackBinaries } from '../src/stack/binaries.ts';
import { freePort } from '../src/stack/free-port.ts';
import { waitFor } from '../src/stack/wait-for.ts';

/** What the team's own receivers got: receiver, status and alertname of each alert of each post. */
export interface TeamNotification {
  readonly receiver: string;
  readonly status: string;
  readonly alertname: string;
}

export interface PlainStandIn {
  readonly env: Record<string, string>;
  readonly received: TeamNotification[];
  /** Receivers whose endpoint answers 500, as a broken pager integration would. */
  readonly broken: Set<string>;
  stop(): Promise<void>;
}

/** Prometheus and Alertmanager start in a few seconds; give a busy machine a minute. */
const READY_WITHIN_MS = 60_000;

export async function startPlainStandIn(): Promise<PlainStandIn> {
  const binaries = findStackBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-staging-'));
  const [apiPort, prometheusPort, alertmanagerPort, teamPort, webhookPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const received: TeamNotification[] = [];
  const broken = new Set<string>();
  const team: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (broken.has((req.url ?? '').slice(1))) return void res.writeHead(500).end();
      try {
        const payload = JSON.parse(body) as { receiver: string; alerts: { status: string; labels: Record<string, string> }[] };
        for (const a of payload.alerts) received.push({ receiver: payload.receiver, status: a.status, alertname: a.labels.alertname ?? '' });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  team.listen(teamPort, '127.0.0.1');
  await once(team, 'listening');
  writeFileSync(path.join(dir, 'prometheus.yml'), stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [path.resolve('verify/gameday/alerts.yml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
    scrape_configs: [{ job_name: 'gameday-api', static_configs: [{ targets: [`127.0.0.1:${apiPort}`] }] }],
  }));
  const teamHook = (name: string) => ({ name, webhook_configs: [{ url: `http://127.0.0.1:${teamPort}/${name}`, send_resolved: true }] });
  writeFileSync(path.join(dir, 'alertmanager.yml'), stringify({
    route: {
      receiver: 'tickets', group_by: ['alertname'], group_wait: '1s', group_interval: '2s', repeat_interval: '1h',
      // A continue route that matches counts as a match: without the last catch-all, the root's
      // receiver would no longer be anyone's fallback.
      routes: [
        { receiver: 'firedrill', continue: true, group_wait: '1s', group_interval: '2s' },
        { receiver: 'pager', matchers: ['severity="critical"'] },
        { receiver: 'tickets' },
      ],
    },
    inhibit_rules: [{ source_matchers: ['alertname="GameApiDown"'], target_matchers: ['severity="warning"'], equal: ['job'] }],
    receivers: [teamHook('pager'), teamHook('tickets'), { name: 'firedrill', webhook_configs: [{ url: `http://127.0.0.1:${webhookPort}/`, send_resolved: true }] }],
  }));
  const children: ChildProcess[] = [
    spawn(process.execPath, ['verify/gameday/service.mjs'], { env: { ...process.env, PORT: String(apiPort) }, stdio: 'ignore' }),
    spawn(binaries.prometheus, [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/tsdb`, `--web.listen-address=127.0.0.1:${prometheusPort}`], { stdio: 'ignore' }),
    spawn(binaries.alertmanager, [`--config.file=${dir}/alertmanager.yml`, `--storage.path=${dir}/am`, `--web.listen-address=127.0.0.1:${alertmanagerPort}`, '--cluster.listen-address='], { stdio: 'ignore' }),
  ];
  const stop = async () => {
    await Promise.all(children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => (c.kill('SIGTERM'), once(c, 'exit'))));
    team.closeAllConnections();
    await new Promise((resolve) => team.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const prometheus = `http://127.0.0.1:${prometheusPort}`;
    await waitFor('the stand-in Prometheus to scrape the service and load its rules', async () => {
      const targets = await getJson<{ data: { activeTargets: { health: string }[] } }>(`${prometheus}/api/v1/targets`);
      const rules = await getJson<{ data: { groups: unknown[] } }>(`${prometheus}/api/v1/rules`);
      const up = targets.data.activeTargets.filter((t) => t.health === 'up').length;
      return { value: up === 1 && rules.data.groups.length > 0 ? true : undefined, seen: `${up} targets up, ${rules.data.groups.length} rule groups` };
    }, { timeoutMs: READY_WITHIN_MS, pollMs: 250, abortIf: () => children.find((c) => c.exitCode !== null) && 'a stand-in process exited' });
    // Rules evaluated before the first scrape see nothing (absent() is true) and may fire: wait
    // until no alert has been active for `for` (3 s) plus two evaluations, so a drill starts quiet.
    await waitFor('no alert active on the fresh stand-in for 5 s', async () => {
      const recent = await getJson<{ data: { result: { metric: { alertname: string } }[] } }>(`${prometheus}/api/v1/query?query=${encodeURIComponent('count_over_time(ALERTS[5s])')}`);
      return { value: recent.data.result.length === 0 ? true : undefined, seen: `active in the last 5 s: ${recent.data.result.map((r) => r.metric.alertname).join(', ')}` };
    }, { timeoutMs: READY_WITHIN_MS, pollMs: 250 });
    await waitFor('the stand-in Alertmanager to be ready', async () => ({ value: (await getJson(`http://127.0.0.1:${alertmanagerPort}/-/ready`).then(() => true, () => undefined)), seen: 'not ready' }), { timeoutMs: READY_WITHIN_MS, pollMs: 250 });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env: {
      GAMEDAY_PROMETHEUS: `http://127.0.0.1:${prometheusPort}`,
      GAMEDAY_ALERTMANAGER: `http://127.0.0.1:${alertmanagerPort}`,
      GAMEDAY_API: `http://127.0.0.1:${apiPort}`,
      GAMEDAY_ALLOW: `http://127.0.0.1:${apiPort}`,
      GAMEDAY_WEBHOOK: `127.0.0.1:${webhookPort}`,
    },
    received,
    broken,
    stop,
  };
}
