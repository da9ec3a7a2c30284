import { describe, expect, it } from 'vitest';
import { errorRateAboveZero } from './error-rate-above-zero.ts';
import { ruleEntries } from './rule-entries.ts';

/** The alerts (or records) among `exprs` that the check flags, by index. */
function flagged(exprs: readonly string[], kind: 'alert' | 'record' = 'alert'): string[] {
  const rules = exprs.map((expr, i) => ({ [kind]: `R${i}`, expr }));
  return errorRateAboveZero(ruleEntries([{ file: 'r.yml', doc: { groups: [{ name: 'g', rules }] } }])).map((f) => f.where.split(' ').at(-1)!);
}

describe('errorRateAboveZero', () => {
  it('knows error series by name, by failure label or value, and by a 4xx/5xx status or code matcher, in every spelling of above zero', () => {
    expect(
      flagged([
        'rate(node_network_receive_errs_total[5m]) > 0',
        'sum(increase(jobs_total{outcome="failure"}[1h])) != 0',
        '0 < irate(http_requests_total{code="503"}[1m])',
        'sum(rate(grpc_requests_total{exception=~".+"}[5m])) > 0',
        'sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 0',
      ]),
    ).toEqual(['R0', 'R1', 'R2', 'R3', 'R4']);
  });

  it('leaves thresholds above zero, non-error series, negative matchers, raw values and records alone', () => {
    expect(
      flagged([
        'rate(errors_total[5m]) > 0.1',
        'increase(errors_total[10m]) > 5',
        'rate(http_requests_total{status!~"5.."}[5m]) > 0',
        'rate(http_requests_total{status=~"2.."}[5m]) > 0',
        'errors_total > 0',
        'rate(messages_total[5m]) > 0',
      ]),
    ).toEqual([]);
    expect(flagged(['rate(errors_total[5m]) > 0'], 'record')).toEqual([]);
  });
});
