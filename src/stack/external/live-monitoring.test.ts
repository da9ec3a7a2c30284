import { describe, expect, it } from 'vitest';
import { ruleFilesOf } from './live-monitoring.ts';

describe("a running Prometheus's rules", () => {
  it("become the rule files it loaded, with for, keep_firing_for and labels as written, recording rules kept", () => {
    const files = ruleFilesOf([
      { name: 'api', file: '/etc/prometheus/rules/api.yml', interval: 15, rules: [
        { type: 'recording', name: 'job:errors:rate5m', query: 'sum(rate(errors_total[5m]))', labels: {} },
        { type: 'alerting', name: 'ApiDown', query: 'up{job="api"} == 0', duration: 60, keepFiringFor: 0, labels: { severity: 'critical' } },
      ] },
      { name: 'db', file: '/etc/prometheus/rules/db.yml', interval: 30, rules: [{ type: 'alerting', name: 'DbSlow', query: 'x > 1', duration: 0, keepFiringFor: 120 }] },
      { name: 'api-extra', file: '/etc/prometheus/rules/api.yml', interval: 15, rules: [] },
    ]);
    expect(files).toEqual([
      { file: '/etc/prometheus/rules/api.yml', doc: { groups: [
        { name: 'api', interval: '15s', rules: [{ record: 'job:errors:rate5m', expr: 'sum(rate(errors_total[5m]))' }, { alert: 'ApiDown', expr: 'up{job="api"} == 0', for: '60s', labels: { severity: 'critical' } }] },
        { name: 'api-extra', interval: '15s', rules: [] },
      ] } },
      { file: '/etc/prometheus/rules/db.yml', doc: { groups: [{ name: 'db', interval: '30s', rules: [{ alert: 'DbSlow', expr: 'x > 1', keep_firing_for: '120s' }] }] } },
    ]);
  });
});
