import { describe, expect, it } from 'vitest';
import type { CompiledRule } from './rule-files.ts';
import { fixedLabels, ruleOfSeries, ruleOrFirst, rulesOfSelector } from './rule-of-series.ts';

const rule = (alertname: string, labels: Record<string, string>, forMs = 0) => ({ alertname, labels, forMs }) as unknown as CompiledRule;
const warning = rule('HighErrorRate', { severity: 'warning' }, 300_000);
const critical = rule('HighErrorRate', { severity: 'critical' }, 120_000);
const bare = rule('Stale', {});
const paged = rule('Stale', { severity: 'page' });
const team = rule('Stale', { team: 'api' });

describe('ruleOfSeries', () => {
  it('tells the tiers of one alertname apart by their fixed labels', () => {
    expect(ruleOfSeries([warning, critical], 'HighErrorRate', { alertname: 'HighErrorRate', severity: 'critical', instance: 'a' })).toBe(critical);
    expect(ruleOfSeries([warning, critical], 'HighErrorRate', { alertname: 'HighErrorRate', severity: 'warning' })).toBe(warning);
  });

  it('takes the rule whose fixed labels hold every other fitting one\u2019s, and none when two fit that neither holds', () => {
    expect(ruleOfSeries([bare, paged], 'Stale', { severity: 'page' })).toBe(paged);
    expect(ruleOfSeries([bare, paged], 'Stale', { severity: 'ticket' })).toBe(bare);
    expect(ruleOfSeries([paged, team], 'Stale', { severity: 'page', team: 'api' })).toBeUndefined();
    expect(ruleOfSeries([warning, critical], 'HighErrorRate', { severity: 'info' })).toBeUndefined();
  });

  it("reads a selector that names fewer labels than a tier sets as that tier (the value and threshold shown are the tier's)", () => {
    const teamWarning = rule('HighErrorRate', { severity: 'warning', team: 'shop' });
    const teamCritical = rule('HighErrorRate', { severity: 'critical', team: 'shop' });
    expect(ruleOrFirst([teamWarning, teamCritical], 'HighErrorRate', { severity: 'critical' })).toBe(teamCritical);
    expect(rulesOfSelector([bare, paged], 'Stale', { severity: 'page' })).toEqual([paged, bare]);
    expect(rulesOfSelector([teamWarning, teamCritical], 'HighErrorRate', { severity: 'info' })).toEqual([]);
  });

  it('falls back to the first rule of the name only when asked to', () => {
    expect(ruleOrFirst([paged, team], 'Stale', { severity: 'page', team: 'api' })).toBe(paged);
    expect(ruleOrFirst([warning], 'Other')).toBeUndefined();
  });
});

describe('fixedLabels', () => {
  it('leaves out templated and empty labels, sorted by name', () => {
    expect(fixedLabels(rule('X', { team: 'api', instance: '{{ $labels.instance }}', severity: 'page', empty: '' }))).toEqual({ severity: 'page', team: 'api' });
  });
});
