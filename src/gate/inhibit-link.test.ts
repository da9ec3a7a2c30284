import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../compile/rule-files.ts';
import { mayInhibit } from './inhibit-link.ts';

const rule = (alertname: string, labels: Record<string, string>) => ({ alertname, labels }) as unknown as CompiledRule;
const critMutesWarn = { inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['service'] }] };

describe('mayInhibit', () => {
  it('is false only when a matcher on the alert name or a fixed label refuses a side', () => {
    expect(mayInhibit(critMutesWarn, rule('Down', { severity: 'critical' }), rule('Slow', { severity: 'warning' }))).toBe(true);
    expect(mayInhibit(critMutesWarn, rule('Down', { severity: 'critical' }), rule('Slow', { severity: 'critical' }))).toBe(false);
    // A label the expression gives may match: `service` is not fixed here.
    expect(mayInhibit({ inhibit_rules: [{ source_match: { service: 'api' }, target_match: { alertname: 'Slow' } }] }, rule('Down', {}), rule('Slow', {}))).toBe(true);
    expect(mayInhibit({}, rule('Down', {}), rule('Slow', {}))).toBe(false);
  });

  it('is false when an equal label is fixed by both rules to different values (equal: [alertname] between two alerts)', () => {
    const sameName = { inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }] };
    expect(mayInhibit(sameName, rule('CertExpiry', { severity: 'critical' }), rule('Slow', { severity: 'warning' }))).toBe(false);
    expect(mayInhibit(sameName, rule('Slow', { severity: 'critical' }), rule('Slow', { severity: 'warning' }))).toBe(true);
    // One side leaves it to the expression: it may be equal.
    const byTeam = { inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['team'] }] };
    expect(mayInhibit(byTeam, rule('Down', { severity: 'critical', team: 'a' }), rule('Slow', { severity: 'warning' }))).toBe(true);
    expect(mayInhibit(byTeam, rule('Down', { severity: 'critical', team: 'a' }), rule('Slow', { severity: 'warning', team: 'b' }))).toBe(false);
  });

  it('treats a templated label as unknown, not as its template text', () => {
    const tiered = rule('Slow', { severity: '{{ if gt $value 0.5 }}critical{{ else }}warning{{ end }}' });
    expect(mayInhibit(critMutesWarn, rule('Down', { severity: 'critical' }), tiered)).toBe(true);
  });
});
