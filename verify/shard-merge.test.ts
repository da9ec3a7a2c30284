// `--shard 1/3`, `2/3`, `3/3` plus `firedrill merge` must come to what one gate run comes to:
// every scenario once, the same verdict for every expectation, the same coverage, the same
// contract. Both are real runs of the Python example's gate (the global setup ran them side by
// side), so a difference is a real difference.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { mergeResults } from '../src/gate/merge-results.ts';
import { contractScenarioOf, type GateResult } from '../src/gate/run-gate.ts';
import { gateJUnitSuites } from '../src/report/gate-report.ts';
import { formatJUnit } from '../src/report/junit.ts';
import { loadDrills } from '../src/scenario/run-drills.ts';
import { gateResult, readGate } from './shared-gates.ts';

const single = readGate(inject('pythonGate').resultFile);
const shardRuns = inject('pythonShardGates');
const shards = shardRuns.map((run) => readGate(run.resultFile));
const merged = readGate(inject('mergedGateResultFile'));

/** scenario -> expectation -> held, the verdicts to compare. */
const verdicts = (gate: GateResult) => Object.fromEntries(gate.run.scenarios.map((s) => [s.name, Object.fromEntries(s.expectations.map((e) => [e.description, e.ok]))]));
const coverage = (gate: GateResult) =>
  gate.systems.map((s) => ({
    system: s.system,
    alerts: s.alertCoverage.percent,
    uncovered: s.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.alertname),
    inhibition: s.inhibitionCoverage.percent,
    inhibitRules: s.inhibitionCoverage.rules.map((r) => [r.description, r.suppressedIn.length > 0, r.controlIn.length > 0]),
  }));

describe('three shards merged', () => {
  it('each shard ran a part, each scenario in exactly one shard, and left coverage to the merge', () => {
    expect(shardRuns.map((run) => run.code)).toEqual([0, 0, 0]);
    const names = shards.map((g) => g.run.scenarios.map((s) => s.name));
    expect(names.every((n) => n.length > 0)).toBe(true);
    expect(names.flat().sort()).toEqual(single.run.scenarios.map((s) => s.name).sort());
    expect(shards.map((g) => [g.run.shard, g.coverageJudged])).toEqual([1, 2, 3].map((index) => [{ index, count: 3 }, false]));
  });

  it('give the same verdict for every expectation as one run', () => {
    expect(verdicts(merged)).toEqual(verdicts(single));
    expect(merged.run.ok).toBe(single.run.ok);
  });

  it('give the same coverage, computed over the whole, and the same gate verdict', () => {
    expect(merged.coverageJudged).toBe(true);
    expect(coverage(merged)).toEqual(coverage(single));
    expect(merged.ok).toBe(single.ok);
  });

  it('carry the metric contract from the shard that ran the baseline', () => {
    const withBaseline = shards.filter((g) => g.systems.some((s) => s.contract !== null));
    expect(withBaseline).toHaveLength(1);
    expect(merged.systems.map((s) => s.contract)).toEqual(withBaseline[0]!.systems.map((s) => s.contract));
    expect(merged.systems.map((s) => s.contract?.checked)).toEqual(single.systems.map((s) => s.contract?.checked));
    expect(single.systems.map((s) => s.contract?.checked)).toEqual([3]);
  });

  it('write one JUnit report with a testcase per expectation and per gate check, as one run does', () => {
    const xml = readFileSync(inject('mergedJUnitFile'), 'utf8');
    const totals = (text: string) => text.match(/^<testsuites name="firedrill-gate" tests="(\d+)" failures="(\d+)"/m)?.slice(1).map(Number);
    expect(totals(xml)).toEqual(totals(formatJUnit('firedrill-gate', gateJUnitSuites(single))));
  });
});

// The fixture gate covers two systems, which the Python example cannot show. Its real result is
// cut the way `--shard i/3` splits the fixtures (each shard's contract only where its baseline
// ran, its coverage left to the merge) and merged: per system, coverage and contract must come
// back as the one run computed them.
const whole = gateResult();
const config = await loadConfig('firedrill.config.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-shard-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { all } = await loadDrills({ config, scenarioNames: [], scale: 'auto' });
const files = await Promise.all(
  [1, 2, 3].map(async (index) => {
    const { selected } = await loadDrills({ config, scenarioNames: [], scale: 'auto', shard: { index, count: 3 } });
    const names = new Set(selected.map((l) => l.scenario.name));
    const scenarios = whole.run.scenarios.filter((s) => names.has(s.name));
    const shard: GateResult = {
      ...whole,
      coverageJudged: false,
      systems: whole.systems.map((s) => ({ ...s, contract: names.has(contractScenarioOf(s.system, all)!) ? s.contract : null })),
      run: { ...whole.run, shard: { index, count: 3 }, ok: scenarios.every((s) => s.ok), scenarios },
    };
    const file = path.join(dir, `shard-${index}.json`);
    writeFileSync(file, JSON.stringify(shard));
    return { file, names: scenarios.map((s) => s.name), systems: new Set(scenarios.map((s) => s.system)) };
  }),
);
const fixtureMerged = await mergeResults(config, files.map((f) => f.file), { minAlertCoverage: whole.minAlertCoverage, minInhibitionCoverage: whole.minInhibitionCoverage });

describe('the two-system fixture gate, cut as --shard i/3 splits it, merged', () => {
  it('spreads both systems over the shards, each scenario once', () => {
    expect(files.flatMap((f) => f.names).sort()).toEqual(whole.run.scenarios.map((s) => s.name).sort());
    expect(files.filter((f) => f.systems.size === 2).length).toBeGreaterThan(0);
    expect(fixtureMerged.kind).toBe('gate');
  });

  it('comes to the one run\'s coverage, contract and verdict for each system', () => {
    if (fixtureMerged.kind !== 'gate') throw new Error('merged into a run result, not a gate result');
    expect(whole.systems.map((s) => s.system).sort()).toEqual(['piyasa', 'thebot']);
    expect(coverage(fixtureMerged.gate)).toEqual(coverage(whole));
    expect(fixtureMerged.gate.systems.map((s) => [s.system, s.contract?.checked])).toEqual(whole.systems.map((s) => [s.system, s.contract?.checked]));
    expect(verdicts(fixtureMerged.gate)).toEqual(verdicts(whole));
    expect(fixtureMerged.gate.ok).toBe(whole.ok);
  });
});
