import { describe, expect, it } from 'vitest';
import { runJUnitSuites } from './gate-report.ts';
import { formatJUnit } from './junit.ts';
import type { RunResult, ScenarioResult } from './run-result.ts';

const starved = '4 scrapes of job api (api:8080) from +1.1s to +2.2s ran out their 250 ms timeout with no fault in effect: the machine starved them';

const scenario = (expectations: ScenarioResult['expectations'], voidAttempts?: ScenarioResult['voidAttempts']): ScenarioResult => ({
  name: 'api-outage',
  ok: expectations.every((e) => e.ok),
  historySeconds: 6,
  startedAt: '2026-12-02T06:00:40.000Z',
  endedAt: '2026-12-02T06:01:10.000Z',
  traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
  faults: [],
  alerts: [],
  expectations,
  power: [],
  ...(voidAttempts ? { voidAttempts } : {}),
});

const run = (scenarios: ScenarioResult[]): RunResult =>
  ({ ok: scenarios.every((s) => s.ok), scale: 40, stack: 'native', engine: 'builtin', scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375, stackReadySeconds: 6, scenarios }) as RunResult;

const fires = 'APIDown{service="api"} fires within its for window';
const quiet = 'HighAPILatency does not fire';
const strangers = 'no alert fires that no expectation names';
const firstAttempt = { startedAt: '2026-12-02T06:00:00.000Z', endedAt: '2026-12-02T06:00:30.000Z', scale: 40, failed: [`${fires}: never fired`, `${strangers}: WorkerDown fired`], machineInterference: [starved] };

/** The `<testcase>` element of `name` in `xml`, whole. */
const testcase = (xml: string, name: string) => xml.match(new RegExp(`<testcase [^>]*name="${name.replace(/[{}"]/g, (c) => ({ '"': '&quot;' })[c] ?? `\\${c}`)}"[^]*?</testcase>`))?.[0];

describe('JUnit XML', () => {
  it('escapes text and counts failures', () => {
    const xml = formatJUnit('gate', [{ name: 'api-outage', timeSeconds: 33, cases: [{ name: 'APIDown{service="api"} fires', ok: false, detail: 'fired 0s <after> & "too soon"' }] }]);
    expect(xml).toContain('<testsuite name="api-outage" tests="1" failures="1" skipped="0" time="33.000">');
    expect(xml).toContain('<testcase classname="gate.api-outage" name="APIDown{service=&quot;api&quot;} fires"><failure message="fired 0s &lt;after&gt; &amp; &quot;too soon&quot;">');
  });

  it('shows a drill that passed on its second attempt: the attempts, the void one on stderr, and its failure as flaky on the testcase', () => {
    const xml = formatJUnit(
      'firedrill-gate',
      runJUnitSuites(run([scenario([{ description: fires, ok: true, detail: 'fired 3.0s after pending' }, { description: quiet, ok: true, detail: 'did not fire' }, { description: strangers, ok: true, detail: 'no alert fired' }], [firstAttempt])])),
    );
    expect(xml).toContain('<testsuite name="api-outage" tests="3" failures="0" skipped="0" time="30.000">');
    expect(xml).toContain('<properties>\n      <property name="attempts" value="2"/>\n    </properties>');
    expect(testcase(xml, fires)).toBe(
      [
        `<testcase classname="firedrill-gate.api-outage" name="APIDown{service=&quot;api&quot;} fires within its for window">`,
        `      <flakyFailure message="attempt 1 of 2 at scale 40, void: failed while ${starved}" type="void attempt"><stackTrace>never fired</stackTrace></flakyFailure>`,
        '      <system-out>fired 3.0s after pending</system-out>',
        '    </testcase>',
      ].join('\n'),
    );
    // A verdict that held in both attempts carries nothing of the void one.
    expect(testcase(xml, quiet)).toBe(`<testcase classname="firedrill-gate.api-outage" name="${quiet}"><system-out>did not fire</system-out></testcase>`);
    // A stranger that fired in the void attempt only is a flaky failure of the strangers' testcase.
    expect(testcase(xml, strangers)).toContain(`<flakyFailure message="attempt 1 of 2 at scale 40, void: failed while ${starved}" type="void attempt"><stackTrace>WorkerDown fired</stackTrace></flakyFailure>`);
    // The suite's stderr tells the void attempt whole.
    expect(xml).toContain(`    <system-err>attempt 1 (2026-12-02T06:00:00.000Z, scale 40) failed 2 verdict(s) while ${starved}: it was void and the drill ran again; first failure: ${fires.replaceAll('"', '&quot;')}: never fired</system-err>\n  </testsuite>`);
  });

  it('shows a drill that failed on both attempts as a failure with a rerun failure, and counts it once', () => {
    const xml = formatJUnit('firedrill-gate', runJUnitSuites(run([scenario([{ description: fires, ok: false, detail: 'never fired' }], [firstAttempt])])));
    expect(xml).toMatch(/<testsuites name="firedrill-gate" tests="1" failures="1" skipped="0"/);
    expect(testcase(xml, fires)).toBe(
      [
        `<testcase classname="firedrill-gate.api-outage" name="APIDown{service=&quot;api&quot;} fires within its for window">`,
        '      <failure message="never fired">never fired</failure>',
        `      <rerunFailure message="attempt 1 of 2 at scale 40, void: failed while ${starved}" type="void attempt"><stackTrace>never fired</stackTrace></rerunFailure>`,
        '    </testcase>',
      ].join('\n'),
    );
  });

  it('writes no attempts, reruns or stderr for a drill that ran once', () => {
    const xml = formatJUnit('firedrill-gate', runJUnitSuites(run([scenario([{ description: fires, ok: false, detail: 'never fired' }])])));
    expect(xml).not.toMatch(/properties|flakyFailure|rerunFailure|system-err/);
  });

  it('reads a result written before void attempts kept their scale', () => {
    const { scale: _, ...unscaled } = firstAttempt;
    const xml = formatJUnit('firedrill-gate', runJUnitSuites(run([scenario([{ description: fires, ok: true, detail: 'fired' }], [unscaled])])));
    expect(xml).toContain(`<flakyFailure message="attempt 1 of 2, void: failed while ${starved}"`);
    expect(xml).toContain('<system-err>attempt 1 (2026-12-02T06:00:00.000Z) failed 2 verdict(s)');
    expect(xml).not.toContain('undefined');
  });
});
