// The HTML report (src/report/html/) opened in headless Chromium as a person would open the file:
// for the fixture gate (`gate --html` in the global setup), a failing gate (`firedrill report` on
// the mutation gate's result) and a real `firedrill run --html`. The page must render with no
// console error and no fetch, and every chart must hold data; a screenshot of each is kept in
// .firedrill/artifacts/. The last tests break a report on purpose and show the checks catch it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderHtmlReport } from '../src/report/html/html-report.ts';
import type { RunResult } from '../src/report/run-result.ts';
import { ARTIFACTS_DIR, openReport } from './report-browser.ts';
import { gateResult, mutationGateResult } from './shared-gates.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One traffic chart per drill that sent traffic, one graph per judged rule. */
const chartsOf = (run: RunResult) => run.scenarios.reduce((n, s) => n + ((s.trafficTimeline ?? []).some((p) => p.requests > 0) ? 1 : 0) + (s.ruleValues?.length ?? 0), 0);

/** The chart ids of judged rules whose expression had no value at all over the drill. */
const rulesWithoutData = (run: RunResult) =>
  run.scenarios.flatMap((s, i) => (s.ruleValues ?? []).flatMap((r, j) => (r.series.every((x) => x.values.every(([, v]) => v === null || !Number.isFinite(v))) ? [`rule-${i}-${j}`] : [])));

// A gate's report holds a chart per drill and per judged rule (the mutation gate's, about 2 MB of
// data): Chromium lays it out in 5 to 20 s on a busy 2-core machine (seen: 20.06 s in CI beside
// three other test files), past the suite's default timeout.
describe('the HTML report of a gate', { timeout: 90_000 }, () => {
  it('of the fixture gate (gate --html) renders with no console error and nothing fetched, with data in every chart', async () => {
    const gate = gateResult();
    const page = await openReport(inject('gateHtmlFile'), path.join(ARTIFACTS_DIR, 'html-report-gate.png'));
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('firedrill gate: PASS');
    expect(page.charts.length).toBe(chartsOf(gate.run));
    expect(page.charts.length).toBeGreaterThan(gate.run.scenarios.length);
    expect(page.empty).toEqual([]);
    expect(rulesWithoutData(gate.run)).toEqual([]);
    for (const s of gate.run.scenarios) expect(page.text).toContain(s.name);
    expect(page.text).toContain('What was tested');
    expect(page.text).toContain(`${gate.run.scenarios.flatMap((s) => s.expectations).length} of ${gate.run.scenarios.flatMap((s) => s.expectations).length} expectations`);
  });

  it('of a failing gate (firedrill report on a result JSON) names every failed expectation with what to look at next', async () => {
    const gate = mutationGateResult();
    const failed = gate.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok));
    expect(failed.length).toBeGreaterThan(0);
    const html = path.join(dir, 'mutations.html');
    const made = spawnSync(process.execPath, [BIN, 'report', inject('mutationGateResultFile'), '--html', html], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const page = await openReport(html, path.join(ARTIFACTS_DIR, 'html-report-failing-gate.png'));
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('firedrill gate: FAIL');
    // A rule broken by a mutation (a renamed metric) has nothing to graph: exactly those charts say "no data".
    expect(page.empty).toEqual(rulesWithoutData(gate.run));
    expect(page.empty.length).toBeGreaterThan(0);
    expect(page.charts.length).toBe(chartsOf(gate.run));
    for (const e of failed) expect(page.text).toContain(e.description);
    expect(page.text.match(/Next: /g)?.length).toBeGreaterThanOrEqual(failed.length);
  });
});

describe('the HTML report of a run', () => {
  let run: RunResult;
  const html = path.join(dir, 'run.html');
  beforeAll(() => {
    const json = path.join(dir, 'run.json');
    const ran = spawnSync(process.execPath, [BIN, 'run', 'api-outage', '--engine', 'builtin', '--json', json, '--html', html], { encoding: 'utf8', env: { ...process.env, TMPDIR: dir } });
    expect(ran.status, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toContain(`HTML report: ${html}`);
    run = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
  });

  it('(run --html) shows the drill: timeline, traffic, verdicts, notifications and every judged rule against its threshold', async () => {
    const page = await openReport(html, path.join(ARTIFACTS_DIR, 'html-report-run.png'));
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('firedrill run: PASS');
    const [drill] = run.scenarios;
    const judged = drill!.ruleValues!.map((r) => r.alert).sort();
    expect(judged).toEqual(['APIDown', 'HighAPILatency']);
    expect(page.charts.map((c) => c.id)).toEqual(['traffic-0', 'rule-0-0', 'rule-0-1']);
    expect(page.empty).toEqual([]);
    // APIDown watches up == 0: the graph shows the value and its threshold's number.
    expect(drill!.ruleValues!.find((r) => r.alert === 'APIDown')).toMatchObject({ threshold: '== 0', thresholdValue: 0 });
    for (const e of drill!.expectations) expect(page.text).toContain(e.description);
    expect(page.text).toContain('critical-alerts'); // the receiver APIDown was routed to, in the notifications table
  });

  it('flags a judged rule whose graph has no data, and a page whose script fails', async () => {
    const noData = structuredClone(run);
    Object.assign(noData.scenarios[0]!.ruleValues![1]!, { series: [] });
    const emptyFile = path.join(dir, 'no-data.html');
    writeFileSync(emptyFile, renderHtmlReport({ kind: 'run', run: noData }));
    const empty = await openReport(emptyFile);
    expect(empty.errors).toEqual([]);
    expect(empty.empty).toEqual(['rule-0-1']);
    expect(empty.text).toContain('no data over the drill');

    const brokenFile = path.join(dir, 'broken.html');
    writeFileSync(brokenFile, renderHtmlReport({ kind: 'run', run }).replace('{"charts":', '{"charts":!'));
    const broken = await openReport(brokenFile);
    expect(broken.errors.length).toBeGreaterThan(0);
    expect(broken.errors.join('\n')).toMatch(/JSON|did not finish/);
  });

  it('keeps label values and names that look like markup as text', async () => {
    const hostile = structuredClone(run);
    const evil = '</script><script>document.body.setAttribute("data-pwned","1")</script><img src=x>';
    hostile.scenarios[0]!.name = `api-outage ${evil}`;
    hostile.scenarios[0]!.alerts[0]!.labels.instance = evil;
    hostile.scenarios[0]!.ruleValues![0]!.series[0]!.labels.instance = evil;
    const file = path.join(dir, 'hostile.html');
    writeFileSync(file, renderHtmlReport({ kind: 'run', run: hostile }));
    const page = await openReport(file);
    expect(page.errors).toEqual([]);
    expect(page.empty).toEqual([]);
    expect(page.text).toContain(`api-outage ${evil}`);
  });
});
