import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintRules, type LintFinding } from './lint-rules.ts';
import { readLintInput } from './read-lint-input.ts';

// Paths as a caller passes them: relative to the project (Vitest runs from its root).
const testdata = path.relative(process.cwd(), fileURLToPath(new URL('./testdata', import.meta.url)));
const lintFixture = (name: string) => lintRules(readLintInput(`${testdata}/${name}/prometheus.yml`));
const finding = (rule: LintFinding['rule'], file: string, where: string, message: string): LintFinding => ({ check: 'rule lint', rule, file, where, message });

describe('lintRules on rules with one kind of mistake each', () => {
  it('quantile-without-rate: names lifetime buckets under histogram_quantile in alerts and records, with the rated form', () => {
    const file = `${testdata}/quantile-without-rate/rules/django.yml`;
    expect(lintFixture('quantile-without-rate')).toEqual([
      finding(
        'quantile-without-rate',
        file,
        'group django, alert DjangoHighLatency',
        'histogram_quantile over django_request_latency_seconds_bucket without rate(): the quantile of all requests since start, which barely moves, so the alert fires late and never resolves; write histogram_quantile(0.95, sum by (le) (rate(django_request_latency_seconds_bucket{job="django"}[5m])))',
      ),
      finding(
        'quantile-without-rate',
        file,
        'group django, record job:django_request_latency_seconds:p99',
        'histogram_quantile over django_request_latency_seconds_bucket without rate(): the quantile of all requests since start, which barely moves, so an alert on it fires late and never resolves; write histogram_quantile(0.99, sum by (le, job) (rate(django_request_latency_seconds_bucket[5m])))',
      ),
    ]);
  });

  it('counter-without-rate: names lifetime ratios and comparisons, also through a record that copies a counter, but not the copy itself', () => {
    const file = `${testdata}/counter-without-rate/rules/redis.yml`;
    expect(lintFixture('counter-without-rate')).toEqual([
      finding(
        'counter-without-rate',
        file,
        'group redis, alert RedisLowHitRate',
        'redis_keyspace_hits_total and redis_keyspace_misses_total divided without rate(): a ratio of lifetime totals since start, which barely moves, so the alert fires late and never resolves; write rate(redis_keyspace_hits_total[5m]) / (rate(redis_keyspace_hits_total[5m]) + rate(redis_keyspace_misses_total[5m]))',
      ),
      finding(
        'counter-without-rate',
        file,
        'group redis, alert RedisBusy',
        "instance:redis_commands_processed:sum (a record of redis_commands_processed_total without rate()) compared without rate(): a lifetime total since start, which only grows, so the alert follows the process's age rather than what happens now; write rate(instance:redis_commands_processed:sum[5m]) > 1000000, with the threshold per second",
      ),
      finding(
        'counter-without-rate',
        file,
        'group api, record job:http_request_duration_seconds:mean',
        'http_request_duration_seconds_sum and http_request_duration_seconds_count divided without rate(): a ratio of lifetime totals since start, which barely moves, so an alert on it fires late and never resolves; write sum by (job) (rate(http_request_duration_seconds_sum{job="api"}[5m])) / sum by (job) (rate(http_request_duration_seconds_count{job="api"}[5m]))',
      ),
    ]);
  });

  it('error-rate-above-zero: names > 0 over an error rate, with a ratio over the same series without its error matcher, and a count', () => {
    const file = `${testdata}/error-rate-above-zero/rules/api.yml`;
    expect(lintFixture('error-rate-above-zero')).toEqual([
      finding(
        'error-rate-above-zero',
        file,
        'group api-errors, alert APIServerErrors',
        'sum(rate(http_requests_total{job="api", status=~"5.."}[5m])) > 0: a single error pages, and the alert resolves as soon as it leaves the window; alert on the error ratio, e.g. sum(rate(http_requests_total{job="api", status=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05, or on a count over a window, e.g. increase(http_requests_total{job="api", status=~"5.."}[10m]) > 5 with for: 5m',
      ),
      finding(
        'error-rate-above-zero',
        file,
        'group api-errors, alert PaymentFailures',
        'increase(payment_failures_total{job="api"}[15m]) > 0: a single error pages, and the alert resolves as soon as it leaves the window; alert on the error ratio, e.g. sum(rate(payment_failures_total{job="api"}[15m])) / sum(rate(<matching total>[15m])) > 0.05, or on a count over a window, e.g. increase(payment_failures_total{job="api"}[10m]) > 5 with for: 5m',
      ),
    ]);
  });

  it('quantile-without-sum-by-le: tells a per-series quantile from one that drops le, and fixes the grouping it found', () => {
    const file = `${testdata}/quantile-without-sum-by-le/rules/api.yml`;
    expect(lintFixture('quantile-without-sum-by-le')).toEqual([
      finding(
        'quantile-without-sum-by-le',
        file,
        'group api-latency, alert APIHighLatencyPerPod',
        'histogram_quantile over http_request_duration_seconds_bucket without sum by (le): one quantile per instance and label set, so it is noisy and the alert fires per pod instead of for the service; write histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
      ),
      finding(
        'quantile-without-sum-by-le',
        file,
        'group api-latency, alert APIHighLatencyNoLe',
        'histogram_quantile over http_request_duration_seconds_bucket aggregated with plain sum(...), which drops le: with no buckets left the quantile has no result, so the alert can never fire; write histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
      ),
      finding(
        'quantile-without-sum-by-le',
        file,
        'group api-latency, alert APIHighLatencyByHandler',
        'histogram_quantile over http_request_duration_seconds_bucket aggregated with sum by (handler), which drops le: with no buckets left the quantile has no result, so the alert can never fire; write histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{job="api"}[5m])) by (le, handler))',
      ),
    ]);
  });

  it('job-matches-no-scrape-job: names exact and regex job matchers no scrape job satisfies, and the jobs there are', () => {
    const file = `${testdata}/job-matches-no-scrape-job/rules/hosts.yml`;
    const prometheus = `${testdata}/job-matches-no-scrape-job/prometheus.yml`;
    expect(lintFixture('job-matches-no-scrape-job')).toEqual([
      finding('job-matches-no-scrape-job', file, 'group hosts, alert NodeExporterDown', `job="node_exporter" matches no scrape job in ${prometheus} (jobs: api, node): the selector never returns data, so the alert never sees any; use one of those job names`),
      finding('job-matches-no-scrape-job', file, 'group hosts, alert WebMissing', `job=~"web|frontend" matches no scrape job in ${prometheus} (jobs: api, node): the selector never returns data, so the alert never sees any; use one of those job names`),
    ]);
  });

  it('rules-prometheus-ignores: names groups inside prometheus.yml and a rule_files pattern that matches nothing, with the rule file it missed', () => {
    const file = `${testdata}/rules-prometheus-ignores/prometheus.yml`;
    expect(lintFixture('rules-prometheus-ignores')).toEqual([
      finding(
        'rules-prometheus-ignores',
        file,
        'groups',
        '2 rule groups written in prometheus.yml: Prometheus loads rules only from rule files and refuses this key (field groups not found), so none of these alerts runs; move the groups to a file such as rules/alerts.yml and list it under rule_files',
      ),
      finding(
        'rules-prometheus-ignores',
        file,
        'rule_files[1]',
        "rule_files pattern 'alerts/*.rules' matches no file: Prometheus loads no rules from it and says nothing, so its alerts never run; fix the path (relative to prometheus.yml); rule files next to it that no pattern loads: alert.rules.yaml",
      ),
    ]);
  });
});

describe('lintRules with a project directory other than the working directory', () => {
  it('resolves rule_files from projectDir and names files relative to it, as firedrill init passes them', () => {
    const projectDir = path.resolve(testdata, 'rules-prometheus-ignores');
    const input = readLintInput('prometheus.yml', projectDir);
    expect(input.ruleFiles.map((f) => f.file)).toEqual(['rules/node.yml']);
    expect(lintRules(input).map((f) => [f.file, f.where, f.message.split(':')[0]])).toEqual([
      ['prometheus.yml', 'groups', '2 rule groups written in prometheus.yml'],
      ['prometheus.yml', 'rule_files[1]', "rule_files pattern 'alerts/*.rules' matches no file"],
    ]);
    // Without projectDir the same relative path resolves from the working directory, where rules/*.yml matches nothing.
    expect(lintRules({ ...input, projectDir: undefined }).map((f) => f.where)).toEqual(['groups', 'rule_files[0]', 'rule_files[1]']);
  });
});

describe('lintRules on correct rules', () => {
  it('finds nothing in the correct form of every mistake, gauges, presence checks and recorded rates', () => {
    const input = readLintInput(`${testdata}/clean/prometheus.yml`);
    // Guard against a vacuous pass: the clean rules must actually have been read.
    expect(input.ruleFiles.map((f) => f.file)).toEqual([`${testdata}/clean/rules/correct.yml`]);
    expect(lintRules(input)).toEqual([]);
  });

  it("finds nothing in the project's own piyasa rules", () => {
    const input = readLintInput('fixtures/piyasa/prometheus.yml');
    expect(input.ruleFiles).toHaveLength(6);
    expect(lintRules(input)).toEqual([]);
  });

  it("finds nothing in the project's own thebot rules (the guide's lifetime ratios and per-series quantiles fixed)", () => {
    const input = readLintInput('fixtures/thebot/prometheus.yml');
    expect(input.ruleFiles).toHaveLength(2);
    expect(lintRules(input)).toEqual([]);
  });
});
