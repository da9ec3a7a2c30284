import { performance } from 'node:perf_hooks';
import { compileSystem } from '../compile/compile-system.ts';
import { readYamlMap } from '../compile/yaml-file.ts';
import { badInput } from '../errors.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { RunResult } from '../report/run-result.ts';
import { loadScenarios } from '../scenario/load-scenarios.ts';
import { runDrills, type RunDrillsOptions } from '../scenario/run-drills.ts';
import { checkContract, type ContractReport } from './check-contract.ts';
import { alertCoverage, inhibitionCoverage, type AlertCoverage, type InhibitionCoverage } from './coverage.ts';
import { loadMetricContract } from './metric-contract.ts';
import { runStaticChecks, type StaticFinding } from './static-checks.ts';

/** The scenario after which a system's metric contract is checked: healthy traffic, every family exposed. */
export const CONTRACT_SCENARIO = 'baseline';

export interface GateOptions extends Pick<RunDrillsOptions, 'config' | 'scale' | 'engine' | 'mutations' | 'signal' | 'onScenario' | 'onProgress'> {
  readonly minAlertCoverage: number;
  readonly minInhibitionCoverage: number;
}

export interface SystemGateResult {
  readonly system: string;
  readonly static: StaticFinding[];
  readonly contract: ContractReport | null;
  readonly alertCoverage: AlertCoverage;
  readonly inhibitionCoverage: InhibitionCoverage;
}

export interface GateResult {
  ok: boolean;
  wallSeconds: number;
  minAlertCoverage: number;
  minInhibitionCoverage: number;
  systems: SystemGateResult[];
  run: RunResult;
}

/**
 * `firedrill gate`: static checks, then every scenario (the metric contract checked after the
 * system's baseline), then coverage. Every stage runs and reports even after another failed, so
 * one broken alert never hides the verdicts of the others.
 */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const started = performance.now();
  const compiled = new Map(options.config.systems.map((s) => [s.name, compileSystem(s, options.scale)]));
  const scenarios = await loadScenarios(options.config.scenariosDir, compiled);
  const contracts = new Map(options.config.systems.filter((s) => s.contract).map((s) => [s.name, loadMetricContract(s.contract!)]));
  for (const name of contracts.keys()) {
    if (!scenarios.some((s) => s.scenario.system === name && s.scenario.name === CONTRACT_SCENARIO)) {
      throw badInput(`system ${name} has a metric contract but no '${CONTRACT_SCENARIO}' scenario to check it after; add scenarios/${CONTRACT_SCENARIO}.ts`);
    }
  }
  const staticFindings = new Map([...compiled].map(([name, system]) => [name, runStaticChecks(system, contracts.get(name))]));
  const contractReports = new Map<string, ContractReport>();

  const run = await runDrills({
    config: options.config,
    scenarioNames: [],
    scale: options.scale,
    stack: 'native',
    shareStack: true,
    engine: options.engine,
    mutations: options.mutations,
    signal: options.signal,
    onScenario: options.onScenario,
    onProgress: options.onProgress,
    afterScenario: async (scenario, stack) => {
      const contract = contracts.get(scenario.system);
      if (!contract || scenario.name !== CONTRACT_SCENARIO) return;
      const jobs = stack.compiled.system.services.map((s) => s.job);
      contractReports.set(scenario.system, await checkContract(new PrometheusClient(stack.prometheusUrl), contract, jobs, 5 * 60));
    },
  });

  const systems = [...compiled].map(([name, system]): SystemGateResult => {
    const own: RunResult = { ...run, scenarios: run.scenarios.filter((s) => scenarios.find((l) => l.scenario.name === s.name)?.scenario.system === name) };
    return {
      system: name,
      static: staticFindings.get(name)!,
      contract: contractReports.get(name) ?? null,
      alertCoverage: alertCoverage(system.alerts, own),
      inhibitionCoverage: inhibitionCoverage(readYamlMap(system.system.alertmanager), own),
    };
  });
  const ok =
    run.ok &&
    systems.every(
      (s) =>
        s.static.length === 0 &&
        (s.contract === null || s.contract.findings.length === 0) &&
        s.alertCoverage.percent >= options.minAlertCoverage &&
        s.inhibitionCoverage.percent >= options.minInhibitionCoverage,
    ) &&
    [...contracts.keys()].every((name) => contractReports.has(name));
  return {
    ok,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    minAlertCoverage: options.minAlertCoverage,
    minInhibitionCoverage: options.minInhibitionCoverage,
    systems,
    run,
  };
}
