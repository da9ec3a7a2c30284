import { describe, expect, it } from 'vitest';
import { renderConfig } from './render-project.ts';
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
