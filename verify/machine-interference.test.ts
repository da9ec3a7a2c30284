// A drill the machine interfered with runs again (src/scenario/machine-interference.ts,
// MAX_ATTEMPTS in src/scenario/run-drills.ts), end to end with a real Prometheus. What cannot be
// made to happen on cue here is the starvation itself: the service of verify/starved-scrape holds
// its /metrics past the scaled scrape timeout a second into a healthy drill, as a starved CPU
// does; Prometheus times the scrape out and records `up` 0, and TargetDown (`up == 0`) fires. Its
// scaled timeout is 1.25 s, so that the load of a busy machine does not starve a scrape by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../src/config/load-config.ts';
import { runJUnitSuites } from '../src/report/gate-report.ts';
import { formatJUnit } from '../src/report/junit.ts';
import type { ScenarioResult } from '../src/report/run-result.ts';
import { runDrills } from '../src/scenario/run-drills.ts';

const marker = path.join(os.tmpdir(), `firedrill-stall-marker-${process.pid}-${Date.now()}`);
let config: LoadedConfig;

beforeAll(async () => {
  process.env.FIREDRILL_STALL_MARKER = marker;
  config = await loadConfig('verify/starved-scrape/firedrill.config.ts');
});
afterAll(() => {
  for (const mode of ['once', 'always', 'error', 'error-once', 'starve-once', 'block-once']) fs.rmSync(`${marker}-${mode}`, { force: true });
  const born = `${path.basename(marker)}-slow-restart-born-`;
  for (const file of fs.readdirSync(path.dirname(marker)).filter((f) => f.startsWith(born))) fs.rmSync(path.join(path.dirname(marker), file), { force: true });
});

async function drill(system: 'once' | 'always' | 'error' | 'error-once' | 'slow-restart' | 'starve-once' | 'block-once', scenario = `healthy-${system}`): Promise<{ result: ScenarioResult; voided: number; nextScales: number[]; junit: string }> {
  let voided = 0;
  const nextScales: number[] = [];
  const run = await runDrills({
    config,
    scenarioNames: [scenario],
    systems: [system],
    scale: 40,
    stack: 'native',
    engine: 'builtin',
    jobs: 1,
    onVoidAttempt: (_, __, ___, nextScale) => {
      voided++;
      nextScales.push(nextScale);
    },
  });
  return { result: run.scenarios[0]!, voided, nextScales, junit: formatJUnit('firedrill-run', runJUnitSuites(run)) };
}

const TIMED_OUT = /^(a scrape|\d+ scrapes) of job api \(api:8080\) (at|from) \+\d+\.\ds (to \+\d+\.\ds )?ran out (its|their) 1250 ms timeout with no fault in effect: the machine starved (it|them)$/;

describe.concurrent('a drill failed while the machine starved a scrape', () => {
  it('is void and runs again on a fresh stack; the second attempt, unstarved, decides: a pass', async () => {
    const { result, voided, junit } = await drill('once');
    expect(voided).toBe(1);
    // CI reports show it: the testcase passed, with the void attempt's failure as flaky.
    expect(junit).toMatch(/<testcase [^>]*name="TargetDown does not fire">\n {6}<flakyFailure message="attempt 1 of 2 at scale 40, void: failed while [^"]*ran out their 1250 ms timeout/);
    expect(result.ok).toBe(true);
    expect(result.machineInterference).toBeUndefined();
    expect(result.voidAttempts).toHaveLength(1);
    const [attempt] = result.voidAttempts!;
    expect(attempt!.machineInterference).toEqual([expect.stringMatching(TIMED_OUT)]);
    expect(attempt!.failed).toEqual([expect.stringMatching(/^TargetDown does not fire: /)]);
    expect(Date.parse(result.startedAt)).toBeGreaterThan(Date.parse(attempt!.endedAt));
  }, 120_000);

  it('runs at most twice: starved in both attempts, it fails, with the evidence of both', async () => {
    const { result, voided, junit } = await drill('always');
    expect(voided).toBe(1);
    expect(junit).toMatch(/<testcase [^>]*name="TargetDown does not fire">\n {6}<failure [^]*<\/failure>\n {6}<rerunFailure message="attempt 1 of 2 at scale 40, void: /);
    expect(result.ok).toBe(false);
    expect(result.voidAttempts).toHaveLength(1);
    expect(result.machineInterference).toEqual([expect.stringMatching(TIMED_OUT)]);
    expect(result.expectations.filter((e) => !e.ok).map((e) => e.alert)).toEqual(['TargetDown']);
  }, 120_000);

  /** A drill that failed on TargetDown once, and was not run again: no interference was found. */
  async function expectFailedOnce(system: 'error' | 'block-once', scenario?: string): Promise<void> {
    const { result, voided } = await drill(system, scenario);
    expect(voided).toBe(0);
    expect(result.ok).toBe(false);
    expect(result.voidAttempts).toBeUndefined();
    expect(result.machineInterference).toBeUndefined();
    expect(result.expectations.filter((e) => !e.ok).map((e) => e.alert)).toEqual(['TargetDown']);
  }

  it('is not run again when its target failed its scrapes itself, fast (500): that failure is the verdict', async () => {
    await expectFailedOnce('error');
  }, 120_000);

  it('is void too when an alert it failed on went pending before its first fault, and is not when the drill has no fault', async () => {
    const { result, voided } = await drill('error-once', 'dropped-error-once');
    expect(voided).toBe(1);
    expect(result.ok).toBe(true);
    expect(result.voidAttempts![0]!.machineInterference).toEqual([
      expect.stringMatching(/^TargetDown\{severity="critical"\} went pending at \+\d+\.\ds, \d+\.\ds before the first fault: the system was not healthy when the faults began \(a busy machine, or a rule that fires on healthy traffic: the second attempt tells\)$/),
    ]);
    // The faultless drill above (`error`) failed on the same kind of episode and ran once.
  }, 120_000);

  // Both hold the api's main thread once while the drill has stopped the Redis it names (starved
  // through 300 ms of CPU work, or asleep for 4 s), so its timed-out scrapes may be that fault's:
  // only the one measured waiting for a CPU is the machine's.
  it('is void when a scrape a fault could explain timed out while its target, runnable, waited for a CPU (really starved: a busy thread kept off its core)', async () => {
    const { result, voided } = await drill('starve-once', 'beside-fault-starve-once');
    expect(voided).toBe(1);
    expect(result.ok).toBe(true);
    const [attempt] = result.voidAttempts!;
    expect(attempt!.failed).toEqual([expect.stringMatching(/^TargetDown does not fire: /)]);
    expect(attempt!.machineInterference).toEqual([
      expect.stringMatching(/^(a scrape|\d+ scrapes) of job api \(api:8080\) (at|from) \+\d+\.\ds (to \+\d+\.\ds )?ran out (its|their) 1250 ms timeout while part api, runnable, waited (up to )?\d+ ms for a CPU( in each)?: the machine starved (it|them)$/),
    ]);
    const waitedMs = Number(/waited (?:up to )?(\d+) ms/.exec(attempt!.machineInterference[0]!)![1]);
    expect(waitedMs).toBeGreaterThanOrEqual(625);
  }, 120_000);

  it('keeps the failure when that target was held but never runnable (asleep, as one waiting on the stopped Redis is): the fault explains it', async () => {
    await expectFailedOnce('block-once', 'beside-fault-block-once');
  }, 120_000);

  it('runs again at a lower scale when a restart took so long to come back that it outlasted a `for` its gap fits in', async () => {
    // Every restart of this service is slow: at the same scale the second attempt would fail too.
    const { result, voided, nextScales } = await drill('slow-restart', 'restart-slow');
    expect(voided).toBe(1);
    const [attempt] = result.voidAttempts!;
    expect(attempt!.scale).toBe(40);
    expect(attempt!.failed).toEqual([expect.stringMatching(/^ApiDown does not fire: /)]);
    // A scrape the loaded machine starved beside it would add a line of its own.
    const startUp = attempt!.machineInterference.filter((line) => !/the machine starved/.test(line));
    expect(startUp).toEqual([
      expect.stringMatching(/^ApiDown\{severity="critical"\} fired while restart\(api\) was down (\d+\.\d)s against a planned 1\.0s gap: its start-up outlasted the alert's scaled `for` of 4\.5s, an outage longer than `for` at this scale$/),
    ]);
    // ApiDown's 3m `for` at scale s is 180/s seconds; the gap (two scrape intervals, 40s) 40/s; the
    // start-up is real time. The second attempt runs where twice that start-up fits beside the gap.
    const downS = Number(/was down (\d+\.\d)s/.exec(startUp[0]!)![1]);
    const startUpS = downS - 1;
    expect(startUpS).toBeGreaterThanOrEqual(6.5);
    // There the same slow start-up is an outage `for` holds, as in production: the verdict passes.
    // (At scale 40 again it fails: seen with the lower scale taken out of run-drills.ts.)
    expect(result.expectations.map((e) => [e.description, e.ok])).toEqual([['ApiDown does not fire', true], ['no alert fires that no expectation names', true]]);
    expect(result.faults.map((f) => [f.kind, f.downSeconds! >= 6.5])).toEqual([['restart', true]]);
    expect(nextScales).toEqual([result.scale]);
    // 140 = 40 * (4.5 s - 1.0 s); the start-up above is rounded to 0.1 s.
    expect(result.scale).toBeLessThanOrEqual(Math.floor(140 / (2 * (startUpS - 0.05))));
    expect(result.scale).toBeGreaterThanOrEqual(Math.floor(140 / (2 * (startUpS + 0.05))));
  }, 240_000);
});
