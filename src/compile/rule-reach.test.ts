// How far back a rule reads, as the verdicts and the drill's history use it: an offset every
// selector shares delays detection; one on a comparison with the past does not, but it needs history.
import { describe, expect, it } from 'vitest';
import type { CompiledSystem } from './compile-system.ts';
import { compileRuleFile } from './rule-files.ts';
import { detectionBound } from '../expect/detection-bound.ts';
import { planContextFor } from '../scenario/plan-context.ts';
import type { Scenario } from '../scenario/define-scenario.ts';
import { expectAlert } from '../expect/expectation.ts';
import { fault } from '../faults/fault-spec.ts';

const rule = (expr: string) => compileRuleFile('/p/rules.yml', { groups: [{ name: 'g', rules: [{ alert: 'A', expr, for: '1m' }] }] }, 40, 375).alerts[0]!;

describe("a rule's reach", () => {
  it('an offset on every selector is shared; on one side of a comparison it is not, but the history reaches it', () => {
    expect(rule('rate(errors[5m] offset 2m) / rate(total[5m] offset 2m) > 0.05')).toMatchObject({ longestRangeMs: 300_000, sharedOffsetMs: 120_000, lookbackMs: 420_000 });
    expect(rule('rate(e[5m]) > 2 * rate(e[5m] offset 1h)')).toMatchObject({ longestRangeMs: 300_000, sharedOffsetMs: 0, lookbackMs: 3_900_000 });
    // A subquery's range adds to the range inside it (the old bound took the longer of the two).
    expect(rule('max_over_time(rate(e[5m])[10m:1m]) > 1')).toMatchObject({ longestRangeMs: 900_000, sharedOffsetMs: 0, lookbackMs: 900_000 });
    expect(rule('up == 0')).toMatchObject({ longestRangeMs: 0, sharedOffsetMs: 0, lookbackMs: 0 });
  });

  it('the default detection bound counts a shared offset, so a rule written for late data is not failed for its own delay', () => {
    const compiled = { scale: 40, scrapeIntervalMs: 250, ruleFiles: [], prometheus: { jobs: [] } } as unknown as CompiledSystem;
    const late = detectionBound(rule('x offset 2m > 1'), compiled, undefined, 0);
    expect(late.derivation).toBe('default: range 0s + offset 2m + 2 scrapes of 10s + 1 evaluation of 15s = 2m35s of rule time');
    expect(detectionBound(rule('x > 1'), compiled, undefined, 0).seconds).toBeLessThan(late.seconds);
    // Two scrapes of the job the rule reads, not of the slowest job (a minutely probe here).
    const jobs = { ...compiled, scrapeIntervalMs: 1_500, prometheus: { jobs: [{ job: 'api', scaledIntervalMs: 250 }, { job: 'probe', scaledIntervalMs: 1_500 }] } } as unknown as CompiledSystem;
    expect(detectionBound(rule('x{job="api"} > 1'), jobs, undefined, 0).derivation).toMatch(/^default: range 0s \+ 2 scrapes of 10s /);
    expect(detectionBound(rule('x > 1'), jobs, undefined, 0).derivation).toMatch(/^default: range 0s \+ 2 scrapes of 1m /);
    // The comparison with an hour ago sees the fault through its present side: no longer a bound.
    expect(detectionBound(rule('rate(e[5m]) > 2 * rate(e[5m] offset 1h)'), compiled, undefined, 0).derivation).toMatch(/^default: range 5m \+ 2 scrapes/);
  });

  it("a drill's healthy history before its first fault reaches as far back as the rules it judges read", () => {
    const compiled = { scale: 40, alerts: [{ ...rule('rate(e[5m]) > 2 * rate(e[5m] offset 1h)'), alertname: 'A' }], system: { services: [], exporters: [], dependencies: {} } } as unknown as CompiledSystem;
    const scenario = { name: 's', system: 'p', duration: '1h30m', traffic: [], faults: [{ at: '1m', fault: fault.kill('api') }], expect: [expectAlert('A').toFire()] } as unknown as Scenario;
    expect(planContextFor(scenario, compiled).historyMs).toBe(3_900_000 - 60_000);
    // A week ago is over four hours of wall time at scale 40: the drill reads it without its past, as before, and not for hours.
    const weekly = { ...compiled, alerts: [{ ...rule('rate(e[5m]) > 2 * rate(e[5m] offset 1w)'), alertname: 'A' }] } as unknown as CompiledSystem;
    expect(planContextFor(scenario, weekly).historyMs).toBe(300_000 - 60_000);
  });
});
