import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { findCheckTools } from '../stack/binaries.ts';
import { compileRuleFile } from './rule-files.ts';

// Prometheus' own rule engine (promtool test rules) judges the compiled rules on the series a drill
// at scale 40 produces: 250 ms scrapes of a service at 10 requests a wall second, 1% of them errors.
// Production's 5m holds 30 errors and its process has run for minutes: both alerts fire there, and
// must fire here.
const SCALE = 40;
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-scaled-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = {
  groups: [
    {
      name: 'shop',
      rules: [
        { alert: 'ErrorBurst', expr: 'sum(increase(errors_total[5m])) > 20', labels: { severity: 'warning' } },
        { alert: 'UpLongerThanAMinute', expr: 'time() - process_start_time_seconds > 60', labels: { severity: 'info' } },
      ],
    },
  ],
};

/** The alerts promtool finds firing at `atS` wall seconds on the drill's series, with the rules as compiled at `scale`. */
function firingAt(scale: number, atS: number): string[] {
  const compiled = compileRuleFile(path.join(dir, 'rules.yml'), RULES, scale, 15_000);
  const rulesFile = path.join(dir, `rules-${scale}.yml`);
  writeFileSync(rulesFile, stringify(compiled.doc));
  const firing: string[] = [];
  for (const alertname of ['ErrorBurst', 'UpLongerThanAMinute']) {
    const testFile = path.join(dir, `test-${scale}-${alertname}.yml`);
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: '250ms',
        tests: [
          {
            interval: '250ms',
            input_series: [
              // 0.1 errors a wall second, scraped every 250 ms
              { series: 'errors_total', values: '0+0.025x200' },
              // started at the epoch of promtool's clock
              { series: 'process_start_time_seconds', values: '0x200' },
            ],
            alert_rule_test: [{ eval_time: `${atS}s`, alertname, exp_alerts: [] }],
          },
        ],
      }),
    );
    // promtool fails the test (exit 1) when the alert fires against `exp_alerts: []`, and says what it got;
    // any other failure (a compiled rule Prometheus refuses) is the test's.
    try {
      execFileSync(findCheckTools().promtool, ['test', 'rules', testFile], { stdio: 'pipe' });
    } catch (error) {
      const output = String((error as { stdout?: Buffer }).stdout ?? '') + String((error as { stderr?: Buffer }).stderr ?? '');
      if (!new RegExp(`alertname: ${alertname},[^]*got:\\[\\s*0:\\s*Labels:\\{alertname="${alertname}"`).test(output)) throw new Error(`promtool test rules ${testFile}: ${output}`);
      firing.push(alertname);
    }
  }
  return firing;
}

describe('counts and clock differences, compiled at scale 40, on the drill series', () => {
  it('fire where production fires: 30 errors in 5m against > 20, a process up 5m20s against > 60s', () => {
    expect(firingAt(SCALE, 8)).toEqual(['ErrorBurst', 'UpLongerThanAMinute']);
  });

  it('and the raw series alone cross neither threshold (0.8 errors, 8 s up: what the rules read without the rewrite)', () => {
    // At scale 1 nothing is rewritten and the windows keep their length: over the drill's 8 wall
    // seconds the series hold 0.8 errors and 8 s of uptime.
    expect(firingAt(1, 8)).toEqual([]);
  });
});
