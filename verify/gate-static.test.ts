// The gate's static stage on broken copies of the fixture config: each problem is found before
// anything starts, with the file and the rule, route or field named. The clean fixture passes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { resolveConfig } from '../src/config/load-config.ts';
import { loadMetricContract } from '../src/gate/metric-contract.ts';
import { metricNamesIn } from '../src/compile/promql-metrics.ts';
import { runStaticChecks } from '../src/gate/static-checks.ts';
import config from '../firedrill.config.ts';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Static findings for a copy of fixtures/piyasa after `edit(dir)`, paths shown relative to the copy. */
async function findingsAfter(edit: (fixture: string) => void) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-static-'));
  const fixture = path.join(dir, 'piyasa');
  cpSync('fixtures/piyasa', fixture, { recursive: true });
  edit(fixture);
  const piyasa = config.systems.piyasa!;
  const loaded = resolveConfig(
    { ...config, systems: { piyasa: { ...piyasa, prometheus: path.join(fixture, 'prometheus.yml'), alertmanager: path.join(fixture, 'alertmanager.yml'), contract: path.join(fixture, 'contract.yml') } } },
    path.resolve('firedrill.config.ts'),
  );
  const system = loaded.systems[0]!;
  return (await runStaticChecks(compileSystem(system, 'auto'), loadMetricContract(system.contract!))).map((f) => ({ ...f, file: path.relative(fixture, path.resolve(f.file)) }));
}

const replaceIn = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
};

describe('gate static stage', () => {
  it('finds nothing wrong with the fixture', async () => {
    expect(await findingsAfter(() => undefined)).toEqual([]);
  });

  it('names the rule whose PromQL selects a metric the contract lacks (taken from the parsed expression)', async () => {
    const findings = await findingsAfter((f) => replaceIn(path.join(f, 'rules/api_performance.yml'), 'sum(rate(cache_misses_total{', 'sum(rate(cache_miss_total{'));
    expect(findings).toEqual([{ check: 'metric contract', file: 'rules/api_performance.yml', where: 'rule LowCacheHitRate', message: expect.stringMatching(/^metric 'cache_miss_total' is not in the contract .*contract\.yml$/) }]);
  });

  it('names the inhibit rule and route whose alertname matchers match no alert', async () => {
    const findings = await findingsAfter((f) => {
      replaceIn(path.join(f, 'alertmanager.yml'), "alertname: 'APIDown'", "alertname: 'ApiDown'");
      replaceIn(path.join(f, 'alertmanager.yml'), "alertname: '.*Failure'", "alertname: '.*Failed'");
    });
    expect(findings.map((x) => [x.check, x.file, x.where, x.message])).toEqual([
      ['alertname references', 'alertmanager.yml', 'inhibit_rules[0].source_match.alertname', "alertname 'ApiDown' is not an alert in the rules"],
      ['alertname references', 'alertmanager.yml', 'inhibit_rules[1].target_match_re.alertname', "alertname regex '.*Failed' matches no alert in the rules"],
    ]);
  });

  it('runs the rule lint: a lifetime quantile (rate() left out of histogram_quantile) is named with file, group, alert and the fix', async () => {
    const findings = await findingsAfter((f) =>
      replaceIn(path.join(f, 'rules/api_performance.yml'), 'sum(rate(http_request_duration_seconds_bucket{job="piyasa-chatbot-api"}[5m])) by (le)', 'sum(http_request_duration_seconds_bucket{job="piyasa-chatbot-api"}) by (le)'),
    );
    expect(findings).toEqual([
      {
        check: 'rule lint',
        file: 'rules/api_performance.yml',
        where: expect.stringMatching(/^group \S+, alert HighAPILatency$/),
        message:
          'histogram_quantile over http_request_duration_seconds_bucket without rate(): the quantile of all requests since start, which barely moves, so the alert fires late and never resolves; write histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job="piyasa-chatbot-api"}[5m])) by (le))',
      },
    ]);
  });

  it('reports what amtool check-config says about a broken Alertmanager config', async () => {
    const findings = await findingsAfter((f) => replaceIn(path.join(f, 'alertmanager.yml'), "receiver: 'warnings'\n", "receiver: 'warning'\n"));
    expect(findings).toEqual([expect.objectContaining({ check: 'amtool check-config', file: 'alertmanager.yml', message: expect.stringContaining('warning') })]);
  });

  it('reads metric names from PromQL syntax, not text: functions, labels and strings are not metrics', () => {
    expect(metricNamesIn('label_replace(sum by (provider) (rate(llm_requests_failed_total{job="w"}[5m])) / on() {__name__="llm_requests_total"}, "service", "up", "provider", "(.+)")')).toEqual([
      'llm_requests_failed_total',
      'llm_requests_total',
    ]);
  });
});
