import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../compile/rule-files.ts';
import { readMonitoringFiles } from './monitoring-files.ts';
import { renderConfig, renderDrill } from './render-project.ts';
import type { PlannedPart } from './system-parts-plan.ts';

const job = (name: string) => ({ name, metricsPath: '/metrics' }) as never;
const config = (parts: PlannedPart[]) => renderConfig({ system: 'payments', dir: '/p', prometheus: '/p/prometheus.yml', alertmanager: '/p/alertmanager.yml', parts }).text;

describe('renderConfig', () => {
  it("shows the service's env with a dependency the config declares (a Redis-only project was shown {{db}}, which it does not have)", () => {
    const service: PlannedPart = { kind: 'service', name: 'payments', job: job('payments') };
    const redisOnly = config([service, { kind: 'exporter', name: 'redis-exporter', job: job('redis'), type: 'redis' }]);
    expect(redisOnly).toContain("e.g. env: { REDIS_URL: 'redis://{{cache}}' }.");
    expect(redisOnly).toContain("cache: { type: 'redis' },");
    expect(config([service, { kind: 'exporter', name: 'pg', job: job('postgres'), type: 'postgres' }])).toContain("e.g. env: { DATABASE_URL: 'postgres://postgres@{{db}}/app' }.");
    expect(config([service])).toContain("with db: { type: 'postgres' } under dependencies.");
  });
});

describe('renderDrill', () => {
  const alert = { alertname: 'ApiErrors', file: '/p/rules.yml', group: 'api', expr: 'rate(errors[5m]) > 1', longestRangeMs: 300_000, sharedOffsetMs: 0, lookbackMs: 300_000, forMs: 600_000, scaledEvaluationIntervalMs: 30_000 } as CompiledRule;
  const parts = (...intervals: number[]): PlannedPart[] => intervals.map((ms, i) => ({ kind: 'service', name: `s${i}`, job: { name: `s${i}`, metricsPath: '/metrics', port: undefined, scrapeIntervalMs: ms } }));

  it("writes the deadline today's rule keeps, from the slowest job's scrapes, so that a rule changed to page later fails its drill", () => {
    // 5m window + 2 x 1m scrapes (the slower job) + 10m for + 2 x 30s evaluations = 18m.
    const text = renderDrill('payments', { alert, receivers: [], fault: undefined }, parts(15_000, 60_000)).text;
    expect(text).toContain("expectAlert('ApiErrors').toFire({ fireAfter: '10m', fireWithin: '18m' }),");
    // Rounded up to the next 30 s: 5m + 2 x 15s + 10m + 1m = 16m30s.
    expect(renderDrill('payments', { alert, receivers: [], fault: undefined }, parts(15_000)).text).toContain("fireWithin: '16m30s'");
  });

  it("holds the alert to its for as the earliest it may fire, so that a for shortened or removed fails its drill; a rule with no for gets none", () => {
    const text = renderDrill('payments', { alert, receivers: [], fault: undefined }, parts(15_000)).text;
    expect(text).toContain("// What today's rule keeps: no sooner than its for (10m), and by its window 5m + 2 scrapes + for 10m + 2 evaluations.");
    const immediate = renderDrill('payments', { alert: { ...alert, forMs: 0 }, receivers: [], fault: undefined }, parts(15_000)).text;
    expect(immediate).toContain("expectAlert('ApiErrors').toFire({ fireWithin: '6m30s' }),");
    expect(immediate).not.toContain('fireAfter');
  });
});

describe('renderDrill on the tiers of one alertname', () => {
  const base = { alertname: 'ApiErrors', file: '/p/rules.yml', group: 'api', expr: 'rate(errors[5m]) > 1', longestRangeMs: 300_000, sharedOffsetMs: 0, lookbackMs: 300_000, scaledEvaluationIntervalMs: 30_000 };
  const warning = { ...base, forMs: 60_000, labels: { severity: 'warning', team: 'api' } } as unknown as CompiledRule;
  const critical = { ...base, forMs: 300_000, labels: { severity: 'critical', team: 'api' } } as unknown as CompiledRule;
  const parts: PlannedPart[] = [{ kind: 'service', name: 's', job: { name: 's', metricsPath: '/metrics', port: undefined, scrapeIntervalMs: 15_000 } } as PlannedPart];

  it('gives each tier a drill of its own, selecting it by the labels that tell it apart and holding it to its own for', () => {
    const drills = [warning, critical].map((alert) => renderDrill('payments', { alert, receivers: ['pager'], fault: undefined, tiers: [warning, critical] }, parts));
    expect(drills.map((d) => d.path)).toEqual(['scenarios/api-errors-warning.ts', 'scenarios/api-errors-critical.ts']);
    expect(drills[1]!.text).toContain("expectAlert('ApiErrors', { severity: 'critical' }).toFire({ fireAfter: '5m', ");
    expect(drills[1]!.text).toContain("expectAlert('ApiErrors', { severity: 'critical' }).toNotify('pager'),");
    expect(drills[0]!.text).toContain("expectAlert('ApiErrors', { severity: 'warning' }).toFire({ fireAfter: '1m', ");
  });

  it('holds tiers that no label tells apart to the shortest for, in files of their own', () => {
    const same = [warning, { ...critical, labels: warning.labels }];
    const drills = same.map((alert) => renderDrill('payments', { alert, receivers: [], fault: undefined, tiers: same }, parts));
    expect(drills.map((d) => d.path)).toEqual(['scenarios/api-errors-1.ts', 'scenarios/api-errors-2.ts']);
    expect(drills[1]!.text).toContain("expectAlert('ApiErrors').toFire({ fireAfter: '1m', ");
    expect(drills[1]!.text).toContain('no sooner than the shortest for of its tiers (1m)');
  });
});

describe('renderDrill on an alert over a recorded series', () => {
  it("counts the recording rule's window in the deadline (THE_BOT's DjangoHighLatency reads a p95 over 5m)", () => {
    const files = readMonitoringFiles('fixtures/thebot', {});
    const latency = files.alerts.find((a) => a.alertname === 'DjangoHighLatency')!;
    expect(latency.longestRangeMs).toBe(300_000);
    // 5m window + 2 x 15s scrapes + for 5m + 2 x 15s evaluations = 11m.
    const parts: PlannedPart[] = [{ kind: 'service', name: 'django', job: files.jobs[0]! }];
    expect(renderDrill('thebot', { alert: latency, receivers: [], fault: undefined }, parts).text).toContain("toFire({ fireAfter: '5m', fireWithin: '11m' })");
  });
});
