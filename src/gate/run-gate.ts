import { scrapeTargets } from '../config/resolved-system.ts';
import { performance } from 'node:perf_hooks';
import type { CompiledSystem } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { badInput } from '../errors.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { checkDashboard, type PanelGrade } from '../dashboards/check-dashboard.ts';
import { loadDashboards } from '../dashboards/load-dashboards.ts';
import type { RunResult } from '../report/run-result.ts';
import { runDrills, selectDrills, type RunDrillsOptions } from '../scenario/run-drills.ts';
import type { LoadedScenario } from '../scenario/load-scenarios.ts';
import { checkContract, type ContractReport } from './check-contract.ts';
import { alertCoverage, inhibitionCoverage, type AlertCoverage, type InhibitionCoverage } from './coverage.ts';
import { loadMetricContract, type MetricContract } from './metric-contract.ts';
import { runStaticChecks, type StaticFinding } from './static-checks.ts';
import { settledInOrder } from '../settled-in-order.ts';

/**
 * The drill a system's metric contract is checked after: its first scenario (by name) without
 * faults, a baseline, so that every family is seen as a healthy system exports it.
 */
export function contractScenarioOf(system: string, scenarios: readonly LoadedScenario[]): string | undefined {
  return scenarios
    .filter((s) => s.scenario.system === system && s.scenario.faults.length === 0)
    .map((s) => s.scenario.name)
    .sort()[0];
}

export interface GateOptions
  extends Pick<RunDrillsOptions, 'config' | 'scale' | 'engine' | 'mutations' | 'signal' | 'onScenario' | 'onProgress' | 'onScenarioStart' | 'onVoidAttempt' | 'onWaitingForRoom' | 'jobs' | 'stackCosts' | 'shard' | 'systems' | 'keepRunDirs'>, Partial<Pick<RunDrillsOptions, 'stack'>> {
  readonly minAlertCoverage: number;
  readonly minInhibitionCoverage: number;
}

export interface SystemGateResult {
  readonly system: string;
  readonly static: StaticFinding[];
  readonly contract: ContractReport | null;
  /** Every panel query of the system's dashboards over its baseline (absent without `dashboards:`). */
  readonly dashboards?: DashboardReport | null;
  readonly alertCoverage: AlertCoverage;
  readonly inhibitionCoverage: InhibitionCoverage;
}

/** The dashboards stage: how many panel queries were run, and those that returned no data or failed. */
export interface DashboardReport {
  readonly checked: number;
  readonly findings: Omit<PanelGrade, 'series'>[];
}

export interface GateResult {
  ok: boolean;
  wallSeconds: number;
  /** False for one shard of several: coverage is judged over the merged shards (`firedrill merge`). */
  coverageJudged: boolean;
  minAlertCoverage: number;
  minInhibitionCoverage: number;
  systems: SystemGateResult[];
  run: RunResult;
}

/**
 * `firedrill gate`: static checks, then every scenario on its own stack (the metric contract
 * checked after the system's baseline), then coverage. Every stage runs and reports even after
 * another failed, so one broken alert never hides the verdicts of the others.
 */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const started = performance.now();
  const { compiled, all, selected } = await selectDrills({ ...options, scenarioNames: [], vacuous: 'fail', upstreamChecks: false });
  const contracts = loadContracts(options.config, all, [...compiled.keys()]);
  const staticFindings = new Map(await settledInOrder([...compiled].map(async ([name, system]) => [name, await runStaticChecks(system, contracts.get(name))] as const)));
  const contractReports = new Map<string, ContractReport>();
  const dashboardReports = new Map<string, DashboardReport>();
  const refused = [...staticFindings.values()].flat().filter((f) => f.check.startsWith('promtool') || f.check.startsWith('amtool'));

  const run: RunResult = refused.length > 0 ? notRun(options, `Prometheus or Alertmanager would refuse the config (${refused.length} static finding(s) above)`) : await runDrills({
    ...options,
    scenarioNames: selected.map((s) => s.scenario.name),
    shard: undefined, // already applied to `selected`
    stack: options.stack ?? 'native',
    vacuous: 'fail',
    upstreamChecks: false,
    afterScenario: async (scenario, stack, drill) => {
      if (scenario.name !== contractScenarioOf(scenario.system, all)) return;
      const contract = contracts.get(scenario.system);
      if (contract) {
        const jobs = scrapeTargets(stack.compiled.system).map((t) => t.job);
        contractReports.set(scenario.system, await checkContract(new PrometheusClient(stack.prometheusUrl), contract, jobs, 5 * 60));
      }
      // Dashboards over the baseline, on the stack's own scrape interval (a data source set up right).
      const dashboards = stack.compiled.system.dashboards;
      if (dashboards) {
        const scrapeMs = stack.compiled.scrapeIntervalMs;
        const grades = (await Promise.all(loadDashboards(dashboards).map(({ dashboard }) => checkDashboard(dashboard, stack.prometheusUrl, { ...drill, scrapeIntervalMs: scrapeMs, actualScrapeIntervalMs: scrapeMs, maxDataPoints: 1000 })))).flat();
        dashboardReports.set(scenario.system, { checked: grades.length, findings: grades.filter((g) => g.grade !== 'ok').map(({ series: _series, ...g }) => g) });
      }
    },
  });
  const shardRun: RunResult = options.shard ? { ...run, shard: options.shard } : run;
  const gate = summarizeGate({
    compiled,
    scenarios: all,
    staticFindings,
    contractReports,
    dashboardReports,
    run: shardRun,
    minAlertCoverage: options.minAlertCoverage,
    minInhibitionCoverage: options.minInhibitionCoverage,
    coverageJudged: (options.shard?.count ?? 1) === 1,
  });
  return { ...gate, wallSeconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** The run result of an alert stage that could not start. */
function notRun(options: GateOptions, why: string): RunResult {
  return { ok: false, notRun: why, scale: 0, stack: options.stack ?? 'native', engine: options.engine, scrapeIntervalSeconds: 0, evaluationIntervalSeconds: 0, stackReadySeconds: 0, scenarios: [] };
}

/** Every system with a contract (of those gated, default all) must have the scenario the contract is checked after. */
export function loadContracts(config: LoadedConfig, scenarios: readonly LoadedScenario[], systems = config.systems.map((s) => s.name)): Map<string, MetricContract> {
  const contracts = new Map(config.systems.filter((s) => s.contract && systems.includes(s.name)).map((s) => [s.name, loadMetricContract(s.contract!)]));
  for (const name of contracts.keys()) {
    if (contractScenarioOf(name, scenarios) === undefined) {
      throw badInput(`system ${name} has a metric contract but no scenario without faults (a baseline) to check it after; add one`);
    }
  }
  return contracts;
}

export interface GateParts {
  readonly compiled: ReadonlyMap<string, CompiledSystem>;
  readonly scenarios: readonly LoadedScenario[];
  readonly staticFindings: ReadonlyMap<string, StaticFinding[]>;
  readonly contractReports: ReadonlyMap<string, ContractReport>;
  readonly dashboardReports?: ReadonlyMap<string, DashboardReport>;
  readonly run: RunResult;
  readonly minAlertCoverage: number;
  readonly minInhibitionCoverage: number;
  readonly coverageJudged: boolean;
}

/**
 * Coverage and the verdict over a run: one gate run, or the merged shards of one. A contract
 * counts as missing only when the run holds its scenario (a shard without the baseline has none).
 */
export function summarizeGate(parts: GateParts): Omit<GateResult, 'wallSeconds'> {
  const systemOf = (scenarioName: string) => parts.scenarios.find((l) => l.scenario.name === scenarioName)?.scenario.system;
  const systems = [...parts.compiled].map(([name, system]): SystemGateResult => {
    const own: RunResult = { ...parts.run, scenarios: parts.run.scenarios.filter((s) => systemOf(s.name) === name) };
    return {
      system: name,
      static: parts.staticFindings.get(name) ?? [],
      contract: parts.contractReports.get(name) ?? null,
      ...(system.system.dashboards ? { dashboards: parts.dashboardReports?.get(name) ?? null } : {}),
      alertCoverage: alertCoverage(system.alerts, own),
      inhibitionCoverage: inhibitionCoverage(system.alertmanager.doc, own),
    };
  });
  const contractScenarioRan = (system: string) => parts.run.scenarios.some((s) => s.name === contractScenarioOf(system, parts.scenarios));
  const contractsChecked = [...parts.compiled.values()].every(
    (c) => !c.system.contract || !contractScenarioRan(c.system.name) || parts.contractReports.has(c.system.name),
  );
  const ok =
    parts.run.ok &&
    contractsChecked &&
    parts.run.scenarios.every((s) => (s.power ?? []).every((p) => p.enough)) &&
    systems.every(
      (s) =>
        s.static.length === 0 &&
        (s.contract === null || s.contract.findings.length === 0) &&
        (s.dashboards === undefined || s.dashboards === null || s.dashboards.findings.length === 0) &&
        (!parts.coverageJudged || (s.alertCoverage.percent >= parts.minAlertCoverage && s.inhibitionCoverage.percent >= parts.minInhibitionCoverage)),
    );
  return { ok, coverageJudged: parts.coverageJudged, minAlertCoverage: parts.minAlertCoverage, minInhibitionCoverage: parts.minInhibitionCoverage, systems, run: parts.run };
}
