import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../compile/compile-system.ts';
import { resolveConfig } from '../config/load-config.ts';
import config from '../../firedrill.config.ts';
import type { PowerCheck, RunResult, ScenarioResult } from '../report/run-result.ts';
import { summarizeGate } from './run-gate.ts';

const system = resolveConfig(config, path.resolve('firedrill.config.ts')).systems[0]!;
const compiled = new Map([[system.name, compileSystem(system, 'auto')]]);
const power = (enough: boolean): PowerCheck => ({ alert: 'TelegramRateLimitHit', window: '5m', events: enough ? 22 : 7, floor: 20, enough, largestScale: enough ? 44 : 14, at: '', query: '' });
const scenario = (checks: PowerCheck[]): ScenarioResult => ({
  name: 'telegram-rate-limit',
  system: 'piyasa',
  ok: true,
  historySeconds: 6,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:30.000Z',
  traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
  faults: [],
  alerts: [],
  expectations: [],
  power: checks,
});
const run = (s: ScenarioResult): RunResult => ({ ok: true, scale: 40, stack: 'native', engine: 'builtin', scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375, stackReadySeconds: 6, scenarios: [s] });
const gate = (s: ScenarioResult) =>
  summarizeGate({ compiled, scenarios: [], staticFindings: new Map(), contractReports: new Map(), run: run(s), minAlertCoverage: 0, minInhibitionCoverage: 0, coverageJudged: true });

describe('the gate verdict', () => {
  it('fails on a judged window holding too few events, though every expectation held (the run only warns)', () => {
    expect(gate(scenario([power(true)])).ok).toBe(true);
    expect(gate(scenario([power(false)])).ok).toBe(false);
  });
});
