import { describe, expect, it } from 'vitest';
import { compactText } from './compact-text.ts';
import { parsePromql, selectorsIn } from './promql-tree.ts';
import { lintRules } from './lint-rules.ts';

describe('promql-tree', () => {
  it('puts an expression on one line without touching the spaces inside string literals', () => {
    const parsed = parsePromql('(\n  sum(rate(a{path=~"/x  y"}[5m]))\n  /\n  sum(rate(b[5m]))\n) > 0.05')!;
    expect(compactText(parsed, parsed.root)).toBe('(sum(rate(a{path=~"/x  y"}[5m])) / sum(rate(b[5m]))) > 0.05');
  });

  it('reads metric names from __name__ matchers and decodes single-quoted and raw strings', () => {
    const parsed = parsePromql(`{__name__="a_total", job='api', path=\`/x\\y\`}`)!;
    expect(selectorsIn(parsed, parsed.root).map((s) => [s.metric, s.matchers.map((m) => m.value)])).toEqual([['a_total', ['api', '/x\\y']]]);
  });

  it('gives up on expressions with syntax errors, so the lint says nothing about them (promtool does)', () => {
    expect(parsePromql('histogram_quantile(0.9, x_bucket')).toBeUndefined();
    const ruleFiles = [{ file: 'r.yml', doc: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'histogram_quantile(0.9, x_bucket' }] }] } }];
    expect(lintRules({ prometheusFile: 'p.yml', prometheusDoc: {}, ruleFiles })).toEqual([]);
  });
});
