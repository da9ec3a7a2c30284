import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import type { RunResult } from '../report/run-result.ts';
import { mergeResults } from './merge-results.ts';

const config = await loadConfig('firedrill.config.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-merge-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { minAlertCoverage: 100, minInhibitionCoverage: 100 };

/** A run result as a shard writes it, holding scenarios with the given verdicts. */
function shardFile(name: string, shard: RunResult['shard'], scenarios: { name: string; ok: boolean }[], systemTimings?: RunResult['systemTimings']): string {
  const run: RunResult = {
    ok: scenarios.every((s) => s.ok),
    scale: 40,
    stack: 'native',
    engine: 'builtin',
    scrapeIntervalSeconds: 0.25,
    evaluationIntervalSeconds: 0.375,
    stackReadySeconds: 6,
    ...(systemTimings ? { systemTimings } : {}),
    ...(shard ? { shard } : {}),
    scenarios: scenarios.map((s) => ({
      name: s.name,
      ok: s.ok,
      historySeconds: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:30.000Z',
      traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
      faults: [],
      alerts: [],
      expectations: [{ description: `${s.name} holds`, ok: s.ok, detail: '' }],
      power: [],
    })),
  };
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(run));
  return file;
}

describe('mergeResults', () => {
  const one = shardFile('one', { index: 1, count: 2 }, [{ name: 'worker-outage', ok: true }]);
  const two = shardFile('two', { index: 2, count: 2 }, [{ name: 'api-outage', ok: false }, { name: 'baseline', ok: true }]);

  it('merges run shards into one run result in scenario order, failing if any scenario failed', async () => {
    const merged = await mergeResults(config, [two, one], options);
    expect(merged.kind).toBe('run');
    if (merged.kind !== 'run') return;
    expect(merged.run.scenarios.map((s) => s.name)).toEqual(['api-outage', 'baseline', 'worker-outage']);
    expect(merged.run.ok).toBe(false);
    expect(merged.run.shard).toBeUndefined();
  });

  it('keeps every shard\'s systems\' scales and intervals: each shard drilled some of them', async () => {
    const piyasa = { scale: 40, scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375 };
    const thebot = { scale: 40, scrapeIntervalSeconds: 0.375, evaluationIntervalSeconds: 0.375 };
    const first = shardFile('timed-one', { index: 1, count: 2 }, [{ name: 'api-outage', ok: true }], { piyasa });
    const second = shardFile('timed-two', { index: 2, count: 2 }, [{ name: 'thebot-cpu', ok: true }], { thebot });
    const merged = await mergeResults(config, [second, first], options);
    expect(merged.kind === 'run' && Object.entries(merged.run.systemTimings!)).toEqual([['piyasa', piyasa], ['thebot', thebot]]); // the config's order
    // A shard written before systemTimings: none at all, rather than the other shard's systems for the whole run.
    const older = shardFile('timed-older', { index: 2, count: 2 }, [{ name: 'thebot-cpu', ok: true }]);
    const mixed = await mergeResults(config, [first, older], options);
    expect(mixed.kind === 'run' && mixed.run.systemTimings).toBeUndefined();
  });

  it('merges where none of the stack programs is installed, as the README\'s merge job runs', async () => {
    // Nothing on PATH and no *_BIN: finding Prometheus, promtool or PostgreSQL would fail here.
    vi.stubEnv('PATH', dir);
    for (const variable of ['PROMETHEUS_BIN', 'ALERTMANAGER_BIN', 'PROMTOOL_BIN', 'AMTOOL_BIN', 'POSTGRES_BIN_DIR']) vi.stubEnv(variable, undefined);
    try {
      const merged = await mergeResults(config, [one, two], options);
      expect(merged.kind === 'run' && merged.run.scenarios.length).toBe(3);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses a missing shard, a repeated one, one of another split and a result that is no shard', async () => {
    await expect(mergeResults(config, [one], options)).rejects.toThrow('merge: shard 2/2 missing; pass the result JSON of every shard');
    await expect(mergeResults(config, [one, one], options)).rejects.toThrow(`merge: ${one} and ${one} are both shard 1/2`);
    const ofThree = shardFile('three', { index: 2, count: 3 }, [{ name: 'baseline', ok: true }]);
    await expect(mergeResults(config, [one, ofThree], options)).rejects.toThrow(`merge: ${ofThree} is shard 2/3, ${one} is of 2; merge shards of one split`);
    const whole = shardFile('whole', undefined, [{ name: 'baseline', ok: true }]);
    await expect(mergeResults(config, [whole], options)).rejects.toThrow(`merge: ${whole} is not a shard result (it ran without --shard)`);
  });

  it('refuses a file that is not a result and a scenario this project does not have', async () => {
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    await expect(mergeResults(config, [junk], options)).rejects.toThrow(`merge: ${junk}: not a firedrill run or gate result JSON (no scenarios)`);
    await expect(mergeResults(config, [path.join(dir, 'absent.json')], options)).rejects.toThrow('no such file');
    const foreign = shardFile('foreign', { index: 1, count: 1 }, [{ name: 'not-ours', ok: true }]);
    await expect(mergeResults(config, [foreign], options)).rejects.toThrow("merge: scenario 'not-ours' is not in");
  });
});
