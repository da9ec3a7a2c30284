// The gate results the global setup produced, for every test file that checks them.
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { compileSystem, type CompiledSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { traceFor } from '../src/expect/evaluate-expectations.ts';
import type { GateResult } from '../src/gate/run-gate.ts';
import type { AlertTrace } from '../src/observe/alert-trace.ts';
import type { ScenarioResult } from '../src/report/run-result.ts';
import { formatGateSummary } from '../src/report/gate-report.ts';

/** A gate result JSON. */
export const readGate = (file: string): GateResult => JSON.parse(readFileSync(file, 'utf8')) as GateResult;

/**
 * Why a gate failed, as its console summary says it (the suite keeps only its stderr): every FAIL
 * line and every alert never fired. Empty for a passing gate, so a test can compare it to [].
 */
export const gateFailures = (gate: GateResult): string[] =>
  formatGateSummary(gate)
    .split('\n')
    .filter((line) => /\bFAIL\b|never fired and asserted|none ran/.test(line))
    .map((line) => line.trim());

/** The gate on the fixtures as they are. */
export const gateResult = (): GateResult => readGate(inject('gateResultFile'));

/** The gate on a copy of the fixture config broken by every mutation of piyasa-mutations.ts. */
export const mutationGateResult = (): GateResult => readGate(inject('mutationGateResultFile'));

export interface FixtureRun {
  readonly result: ScenarioResult;
  readonly compiled: CompiledSystem;
  /** The trace of an alert (of the series with these labels); throws, naming what was recorded, when there is none. */
  trace(alertname: string, labels?: Readonly<Record<string, string>>): AlertTrace;
}

/** One scenario's result out of a gate run, with its system compiled as the gate compiled it. */
export async function scenarioOf(gate: GateResult, name: string): Promise<FixtureRun> {
  const result = gate.run.scenarios.find((s) => s.name === name);
  if (!result) throw new Error(`the gate ran no scenario '${name}'; it ran: ${gate.run.scenarios.map((s) => s.name).join(', ')}`);
  const config = await loadConfig('firedrill.config.ts');
  const system = config.systems.find((s) => s.name === result.system) ?? config.systems[0]!;
  const compiled = compileSystem(system, result.scale ?? 'auto');
  return {
    result,
    compiled,
    trace(alertname, labels) {
      const found = traceFor(result.alerts, alertname, labels);
      if (!found) throw new Error(`${name}: no trace for ${alertname}; recorded: ${result.alerts.map((a) => a.alertname).join(', ') || 'none'}`);
      return found;
    },
  };
}

export const seconds = (iso: string | null) => (iso === null ? NaN : Date.parse(iso) / 1000);
