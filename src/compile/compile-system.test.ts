import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ResolvedSystem } from '../config/load-config.ts';
import { compileSystem, writeCompiledSystem, writePrometheusConfigTargetsLater } from './compile-system.ts';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function systemWith(files: { prometheus: string; rules: string; alertmanager: string }): ResolvedSystem {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compile-test-'));
  made.push(dir);
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'prometheus.yml'), files.prometheus);
  writeFileSync(path.join(dir, 'rules', 'a.yml'), files.rules);
  writeFileSync(path.join(dir, 'alertmanager.yml'), files.alertmanager);
  return {
    name: 'shop',
    configDir: dir,
    prometheus: path.join(dir, 'prometheus.yml'),
    alertmanager: path.join(dir, 'alertmanager.yml'),
    services: [{ name: 'api', command: ['true'], job: 'api', metricsPath: '/metrics', faultPath: '/__fault', uses: [] }],
    dependencies: [],
    exporters: [],
    hosts: [],
  };
}

const PROMETHEUS = `
global: { scrape_interval: 15s, evaluation_interval: 30s }
rule_files: ['rules/*.yml']
remote_write: [{ url: 'https://example.invalid/write' }]
scrape_configs:
  - job_name: api
    scrape_interval: 10s
    static_configs: [{ targets: ['api:8000'], labels: { team: core } }]
  - job_name: node
    kubernetes_sd_configs: [{ role: node }]
`;
const RULES = `
groups:
  - name: g
    interval: 1m
    rules:
      - alert: Slow
        expr: histogram_quantile(0.9, sum(rate(h_bucket[5m])) by (le)) > 1
        for: 10m
        keep_firing_for: 2m
        labels: { severity: warning }
      - record: job:x:rate1m
        expr: rate(x[1m])
`;
const ALERTMANAGER = `
route:
  receiver: default
  group_wait: 20s
  routes:
    - match: { severity: warning }
      receiver: team
      group_interval: 10m
inhibit_rules:
  - source_match: { alertname: A }
    target_match: { alertname: Slow }
    equal: [service]
receivers:
  - name: default
    slack_configs: [{ channel: '#x' }]
  - name: team
    pagerduty_configs: [{ service_key: k }]
`;

describe('compileSystem', () => {
  const system = systemWith({ prometheus: PROMETHEUS, rules: RULES, alertmanager: ALERTMANAGER });
  const withNodeIgnored = { ...system, ignoreJobs: ['node'] };

  it('scales for, keep_firing_for, group interval and PromQL windows of rules', () => {
    const compiled = compileSystem(withNodeIgnored, 20);
    const rule = compiled.alerts[0]!;
    expect(rule).toMatchObject({ alertname: 'Slow', forMs: 600_000, scaledForMs: 30_000, scaledKeepFiringForMs: 6_000, scaledEvaluationIntervalMs: 3_000 });
    expect(rule.scaledExpr).toContain('[15s]');
    const group = (compiled.ruleFiles[0]!.doc.groups as { interval: string; rules: { for?: string; expr: string }[] }[])[0]!;
    expect(group.interval).toBe('3s');
    expect(group.rules[0]!.for).toBe('30s');
    expect(group.rules[1]!.expr).toBe('rate(x[3s])');
  });

  it('scales scrape and evaluation intervals and every Alertmanager timing, defaults included', () => {
    const compiled = compileSystem(withNodeIgnored, 20);
    expect(compiled.prometheus.doc.global).toMatchObject({ scrape_interval: '750ms', scrape_timeout: '500ms', evaluation_interval: '1s500ms' });
    expect(compiled.prometheus.jobs[0]).toEqual({ job: 'api', scaledIntervalMs: 500, scaledTimeoutMs: 500 });
    expect(compiled.resendDelayMs).toBe(3_000);
    expect(compiled.alertmanager.timings.map((t) => `${t.path}.${t.field}=${t.scaledMs}`)).toEqual([
      'route.group_wait=1000',
      'route.group_interval=15000',
      'route.repeat_interval=720000',
      'route.routes[0].group_interval=30000',
    ]);
    expect(compiled.alertmanager.doc.global).toEqual({ resolve_timeout: '15s' });
  });

  it('wires targets to 127.0.0.1 (instance: the target as written), drops discovery and remote storage, and replaces receivers by sink webhooks', () => {
    const compiled = compileSystem(withNodeIgnored, 20);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compile-out-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const written = writeCompiledSystem(compiled, { scrapeAddresses: new Map([['api', '127.0.0.1:4321']]), alertmanagerPort: 9999, sinkUrl: 'http://127.0.0.1:1/receivers' }, dir);
    const prom = parse(readFileSync(written.prometheusConfig, 'utf8'));
    expect(prom.scrape_configs).toEqual([{ job_name: 'api', scrape_interval: '500ms', scrape_timeout: '500ms', static_configs: [{ targets: ['127.0.0.1:4321'], labels: { instance: 'api:8000', team: 'core' } }] }]);
    expect(prom.remote_write).toBeUndefined();
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9999']);
    const am = parse(readFileSync(written.alertmanagerConfig, 'utf8'));
    expect(am.receivers).toEqual([
      { name: 'default', webhook_configs: [{ url: 'http://127.0.0.1:1/receivers/default', send_resolved: true }] },
      { name: 'team', webhook_configs: [{ url: 'http://127.0.0.1:1/receivers/team', send_resolved: true }] },
    ]);
    expect(am.inhibit_rules).toHaveLength(1);
  });

  it('with targets later, Prometheus reads each job from a file that holds nothing until publishTargets writes the same targets and labels', () => {
    const compiled = compileSystem(withNodeIgnored, 20);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compile-out-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { file, publishTargets } = writePrometheusConfigTargetsLater(compiled, { scrapeAddresses: new Map([['api', '127.0.0.1:4321']]), alertmanagerPort: 9999 }, dir);
    const prom = parse(readFileSync(file, 'utf8'));
    const targetsFile = path.join(dir, 'targets', '0.json');
    expect(prom.scrape_configs).toEqual([{ job_name: 'api', scrape_interval: '500ms', scrape_timeout: '500ms', file_sd_configs: [{ files: [targetsFile] }] }]);
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9999']);
    // file_sd watches the directory: it must be there before Prometheus starts, and empty.
    expect(readdirSync(path.join(dir, 'targets'))).toEqual([]);
    publishTargets();
    expect(JSON.parse(readFileSync(targetsFile, 'utf8'))).toEqual([{ targets: ['127.0.0.1:4321'], labels: { instance: 'api:8000', team: 'core' } }]);
    expect(readdirSync(path.join(dir, 'targets'))).toEqual(['0.json']);
  });

  it('refuses a scrape job that maps to no service, saying how to fix it', () => {
    const compiled = compileSystem(system, 20);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compile-out-'));
    try {
      expect(() => writeCompiledSystem(compiled, { scrapeAddresses: new Map([['api', '127.0.0.1:1']]), alertmanagerPort: 2, sinkUrl: 'http://127.0.0.1:3' }, dir)).toThrow(
        /scrape job 'node' has no service or exporter; map it with job: 'node' in firedrill.config.ts or list it in ignoreJobs$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("'auto' picks the largest scale that keeps every interval at or above the 250ms floor", () => {
    expect(compileSystem(withNodeIgnored, 'auto').scale).toBe(40); // 10s scrape interval / 250ms
  });

  it('refuses a scale that pushes an interval below the 250ms floor, with the largest safe scale', () => {
    expect(() => compileSystem(withNodeIgnored, 50)).toThrow(
      'system shop: scale 50 makes scrape_configs api scrape_interval 10s -> 200ms, below the 250ms floor (and 1 more); use --scale 40 or less',
    );
  });

  it('refuses a rule window holding fewer than 4 scrapes, naming the rule and window', () => {
    const thin = systemWith({ prometheus: PROMETHEUS, rules: RULES.replace('h_bucket[5m]', 'h_bucket[30s]'), alertmanager: ALERTMANAGER });
    expect(() => compileSystem({ ...thin, ignoreJobs: ['node'] }, 10)).toThrow(
      'system shop: rule Slow (group g): window [30s] holds 3 samples of 10s, fewer than 4; widen the window or shorten the interval',
    );
    // a ratio of two rates over that window says it once
    const ratio = systemWith({ prometheus: PROMETHEUS, rules: RULES.replace('h_bucket[5m]', 'h_bucket[30s]').replace('rate(x[1m])', 'rate(e[30s]) / rate(x[30s])'), alertmanager: ALERTMANAGER });
    expect(() => compileSystem({ ...ratio, ignoreJobs: ['node'] }, 10)).toThrow(
      /^system shop: rule Slow \(group g\): window \[30s\] [^;]*; widen the window or shorten the interval; rule job:x:rate1m \(group g\): window \[30s\] [^;]*; widen the window or shorten the interval$/,
    );
  });

  it("counts a window's samples at the interval of the jobs its rule reads, not the slowest job's (a minutely probe refused every rule)", () => {
    const withProbe = PROMETHEUS.replace('  - job_name: node', "  - job_name: probe\n    scrape_interval: 2m\n    static_configs: [{ targets: ['p:9115'] }]\n  - job_name: node");
    const rules = (expr: string) => RULES.replace('rate(x[1m])', expr);
    const compile = (expr: string) => () => compileSystem({ ...systemWith({ prometheus: withProbe, rules: rules(expr), alertmanager: ALERTMANAGER }), ignoreJobs: ['node'] }, 10);
    expect(compile('rate(x{job="api"}[1m])')).not.toThrow();
    // Without a job matcher its series may come from the fastest job.
    expect(compile('rate(x[1m])')).not.toThrow();
    expect(compile('rate(x{job="probe"}[1m])')).toThrow('system shop: rule job:x:rate1m (group g): window [1m] holds 0 samples of 2m, fewer than 4; widen the window or shorten the interval');
    expect(compile('rate(x{job=~"api|probe"}[1m])')).toThrow('window [1m] holds 0 samples of 2m');
  });

  it('compiles tiers of one alertname with different for, each with its own, when a label tells their series apart', () => {
    const tiers = RULES.replace(
      "      - record: job:x:rate1m",
      "      - alert: Slow\n        expr: histogram_quantile(0.9, sum(rate(h_bucket[5m])) by (le)) > 3\n        for: 2m\n        labels: { severity: critical }\n      - record: job:x:rate1m",
    );
    const compiled = compileSystem({ ...systemWith({ prometheus: PROMETHEUS, rules: tiers, alertmanager: ALERTMANAGER }), ignoreJobs: ['node'] }, 10);
    expect(compiled.alerts.map((a) => [a.labels.severity, a.forMs, a.scaledForMs])).toEqual([
      ['warning', 600_000, 60_000],
      ['critical', 120_000, 12_000],
    ]);
  });

  it('refuses rules of one alertname with different timing that no label tells apart, naming both places and how to drill them', () => {
    const twin = (labels: string, window: string, forText = '10m', keep = '2m') =>
      RULES.replace(
        "      - record: job:x:rate1m",
        `      - alert: Slow\n        expr: histogram_quantile(0.9, sum(rate(h_bucket[${window}])) by (le)) > 3\n        for: ${forText}\n        keep_firing_for: ${keep}\n        labels: ${labels}\n      - record: job:x:rate1m`,
      );
    const compile = (rules: string) => () => compileSystem({ ...systemWith({ prometheus: PROMETHEUS, rules, alertmanager: ALERTMANAGER }), ignoreJobs: ['node'] }, 10);
    for (const labels of ['{ severity: warning }', '{}']) {
      expect(compile(twin(labels, '5m', '2m'))).toThrow(
        /^alert Slow: defined twice with different timing \(.*rules\/a\.yml group g: for 10m, longest window 5m; .*rules\/a\.yml group g: for 2m, longest window 5m\) and no label that tells their series apart; give each tier a label of its own value \(severity: warning \/ critical\), or one timing$/,
      );
      // The same for over another window: a detection bound read from the wrong one would be an hour wide.
      expect(compile(twin(labels, '1h'))).toThrow(/^alert Slow: defined twice with different timing \(.*group g: for 10m, longest window 5m; .*group g: for 10m, longest window 1h\) and no label/);
    }
    expect(compile(twin('{}', '5m', '10m', '3m'))).toThrow(/longest window 5m, and their keep_firing_for or evaluation interval differ\) and no label/);
    // Alike in every timing (the same alert in two files, one threshold apart): any series reads the same timing.
    expect(compile(twin('{}', '5m'))().alerts.filter((a) => a.alertname === 'Slow')).toHaveLength(2);
  });

  it('compiles a rule that reads the clock in a way no rewrite scales at any scale, as written, and marks the alerts that read it, through recorded series too', () => {
    const clocked = (expr: string) => ({
      ...systemWith({ prometheus: PROMETHEUS, rules: RULES.replace('rate(x[1m])', expr).replace('      - record: job:x:rate1m', '      - alert: Stale\n        expr: job:x:rate1m > 0\n      - record: job:x:rate1m'), alertmanager: ALERTMANAGER }),
      ignoreJobs: ['node'],
    });
    // A scale no longer refuses the whole system: only the drills that judge Stale are held to --scale 1 (validate-scenario.ts).
    const stale = compileSystem(clocked('last_success_timestamp_seconds < time() - 3600'), 'auto');
    expect(stale.scale).toBe(40);
    expect(stale.alerts.map((a) => [a.alertname, a.clockReads])).toEqual([
      ['Slow', []],
      ['Stale', ['time() in job:x:rate1m']],
    ]);
    expect(stale.ruleFiles[0]!.doc).toMatchObject({ groups: [{ rules: [{}, {}, { expr: 'last_success_timestamp_seconds < time() - 3600' }] }] });
    expect(compileSystem(clocked('hour() >= 9'), 2).alerts.find((a) => a.alertname === 'Stale')!.clockReads).toEqual(['hour() in job:x:rate1m']);
    // the same staleness written as an age is scaled, and reads no clock the scale leaves behind
    const age = compileSystem(clocked('time() - last_success_timestamp_seconds > 3600'), 'auto');
    expect(age.alerts.find((a) => a.alertname === 'Stale')!.clockReads).toEqual([]);
  });
});
