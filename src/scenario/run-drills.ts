import os from 'node:os';
import { compileSystem, type CompiledMutations, type CompiledSystem, type ScaleRequest } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { seconds } from '../duration.ts';
import { badInput } from '../errors.ts';
import { describeFindings, upstreamChecks } from '../gate/upstream-checks.ts';
import { settledInOrder } from '../settled-in-order.ts';
import { chooseEngine, type EngineRequest } from '../engine/choose-engine.ts';
import type { PoolSummary, RunResult, ScenarioResult, VoidAttempt } from '../report/run-result.ts';
import { providerFor } from '../stack/stack-providers.ts';
import { ALONE_ROOM, currentMachine, drillCost, estimatedStackCost, fitStackCost, poolShare, type StackCost } from '../stack/pool-capacity.ts';
import { Semaphore } from '../stack/semaphore.ts';
import { MEASURED_CLAIMS_CAP, machineBudget, startBudget } from '../stack/machine-budget.ts';
import { announceRun } from '../stack/run-presence.ts';
import { machineLoad } from '../stack/machine-load.ts';
import { runPool } from '../stack/stack-pool.ts';
import { requireStackTools } from '../stack/required-tools.ts';
import { sideCpuSeconds } from '../stack/process-usage.ts';
import { warmUp } from '../engine/warm-up.ts';
import { findDockerCompose, requireDockerEngine, requireImage } from '../stack/containers/docker-cli.ts';
import { isScrapeFault } from '../faults/fault-spec.ts';
import type { StackProviderName, StartedStack } from '../stack/started-stack.ts';
import type { Scenario } from './define-scenario.ts';
import { loadScenarios, refuseVacuous, selectScenarios, type LoadedScenario } from './load-scenarios.ts';
import { runScenario, type ScenarioProgress } from './run-scenario.ts';
import type { EarlySeries } from './machine-interference.ts';
import { planScenario } from './scenario-plan.ts';
import { settleDeadlineMs } from './settle-deadline.ts';
import { shardOf, type Shard } from './shard.ts';
import { planContextFor } from './plan-context.ts';
import { vacuousExpectations } from './validate-scenario.ts';
import { runTimings } from '../report/system-timing.ts';

export type StackRequest = StackProviderName;

/**
 * A drill that failed while the machine interfered (machine-interference.ts) runs once more on a
 * fresh stack, and the second attempt's verdicts stand, whatever they are: a failure the machine
 * caused is not the rules', and a failure the rules caused fails again. Only a failure with
 * evidence of interference runs again (a passing drill, or one that failed on a quiet machine,
 * never does), and the result keeps the void attempt with that evidence. One failure with
 * interference stands at once: its only interference is alerts pending before the faults that both
 * attempts of an earlier drill of the system also showed early (`notRunAgain` says so). When a real start-up
 * outlasted an alert's scaled `for`, the next attempt runs at a lower scale, where `for` holds it
 * (machine-interference.ts, `startUpPastFor`); otherwise at the same.
 */
export const MAX_ATTEMPTS = 2;

/** A failed attempt the machine interfered with, as the result keeps it. */
function voidAttempt(result: Pick<ScenarioResult, 'startedAt' | 'endedAt' | 'expectations' | 'machineInterference'>, scale: number): VoidAttempt {
  return {
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    scale,
    failed: result.expectations.filter((e) => !e.ok).map((e) => `${e.description}: ${e.detail}`),
    machineInterference: result.machineInterference ?? [],
  };
}

export interface RunDrillsOptions {
  readonly config: LoadedConfig;
  readonly scenarioNames: readonly string[];
  readonly scale: ScaleRequest;
  readonly stack: StackRequest;
  readonly engine: EngineRequest;
  readonly mutations?: CompiledMutations;
  readonly signal?: AbortSignal;
  /** Only these systems' scenarios (`--system`); default: every system. */
  readonly systems?: readonly string[];
  /** Stacks at once; default: as many as the machine holds, from what each system's stacks cost (`stackCosts`). */
  readonly jobs?: number;
  /** What a stack costs on this machine (measured by an earlier run); default: the reference figure. */
  readonly stackCosts?: ReadonlyMap<string, StackCost & { readonly measuredHere?: boolean }>;
  /** Run only this shard's share of the selected scenarios. */
  readonly shard?: Shard;
  /** Keep every stack's run directory after it stops. */
  readonly keepRunDirs?: boolean;
  /**
   * An expectation that cannot fail against the rules: `refuse` it before anything starts (exit 2,
   * the default), or `fail` it with the reason (the gate: a rule change that leaves a drill unable
   * to test it is a regression of that alert).
   */
  readonly vacuous?: 'refuse' | 'fail';
  /**
   * promtool and amtool on the user's files and the compiled copies before anything starts (exit
   * 2 on a finding): the default. The gate runs them in its static stage instead.
   */
  readonly upstreamChecks?: boolean;
  readonly onScenario?: (result: ScenarioResult, compiled: CompiledSystem) => void;
  readonly onProgress?: (progress: ScenarioProgress) => void;
  /** Called once the scenario's stack is ready, just before traffic starts. */
  readonly onScenarioStart?: (scenario: Scenario, stack: StartedStack) => void;
  /**
   * Called once when this run's first stack has waited ROOM_NOTICE_MS for room on the machine
   * (other stacks, of this or other firedrill runs, and the machine's load leave none): without
   * it a run on a busy machine says nothing for minutes.
   */
  readonly onWaitingForRoom?: (room: MachineRoom) => void;
  /** Called when an attempt failed with machine interference and the drill runs again (`n`: attempts void so far) at `nextScale`. */
  readonly onVoidAttempt?: (scenario: Scenario, attempt: VoidAttempt, n: number, nextScale: number) => void;
  /** Called after a scenario, while its stack still runs, with the drill's wall-clock span (the gate checks the metric contract and dashboards here). */
  readonly afterScenario?: (scenario: Scenario, stack: StartedStack, drill: { readonly fromMs: number; readonly toMs: number }) => Promise<void>;
}

/** Why a stack waits: the machine's cores, its load average, and the share of it other firedrill stacks hold. */
export interface MachineRoom {
  readonly cores: number;
  readonly loadAverage: number;
  readonly heldByStacks: number;
}

/** How long the first stack may wait for room before the run says so. */
const ROOM_NOTICE_MS = 5_000;

/** The selected scenarios (this shard's share) with their compiled systems, all validated: nothing has started yet. */
export interface DrillSelection {
  readonly compiled: ReadonlyMap<string, CompiledSystem>;
  readonly all: readonly LoadedScenario[];
  readonly selected: readonly LoadedScenario[];
}

/**
 * The selected scenarios with their compiled systems, validated against the rules, without
 * looking at this machine: what reading results needs (`firedrill merge` runs where no
 * Prometheus is installed). Running them needs `selectDrills`.
 */
export async function loadDrills(options: Pick<RunDrillsOptions, 'config' | 'scenarioNames' | 'scale' | 'mutations' | 'shard' | 'vacuous' | 'systems'>): Promise<DrillSelection> {
  const known = options.config.systems.map((s) => s.name);
  const unknown = (options.systems ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw badInput(`--system ${unknown.join(',')}: no such system in ${options.config.file}; known: ${known.join(', ')}`);
  const everySystem = new Map(options.config.systems.map((s) => [s.name, compileSystem(s, options.scale, options.mutations)]));
  // Every scenario is checked against its system; only the chosen systems' drills run.
  const chosen = (name: string) => options.systems === undefined || options.systems.includes(name);
  const compiled = new Map([...everySystem].filter(([name]) => chosen(name)));
  const all = (await loadScenarios(options.config.scenariosDir, everySystem)).filter((s) => chosen(s.scenario.system));
  const named = selectScenarios(all, options.scenarioNames);
  if (named.length === 0) throw badInput(`${options.config.scenariosDir}: no scenarios found`);
  if ((options.vacuous ?? 'refuse') === 'refuse') refuseVacuous(named);
  const selected = options.shard ? shardOf(named, options.shard, (s) => estimateMs(s.scenario, compiled), (s) => s.scenario.name) : named;
  if (selected.length === 0) {
    throw badInput(`--shard ${options.shard!.index}/${options.shard!.count}: this shard has no scenario (${named.length} selected); use at most ${named.length} shards`);
  }
  return { compiled, all, selected };
}

/** `loadDrills`, then every program the stacks will run found, and the upstream checks, before any starts. */
export async function selectDrills(options: Pick<RunDrillsOptions, 'config' | 'scenarioNames' | 'scale' | 'mutations' | 'shard' | 'vacuous' | 'upstreamChecks' | 'systems'> & { readonly stack?: StackRequest }): Promise<DrillSelection> {
  const selection = await loadDrills(options);
  const systems = [...new Set(selection.selected.map((s) => s.scenario.system))].map((name) => selection.compiled.get(name)!);
  for (const system of systems) requireStackTools(system.system, options.stack);
  // A service from the user's compose file runs in a container whatever the provider.
  if (systems.some((s) => s.system.services.some((service) => service.compose))) {
    const service = systems.flatMap((s) => s.system.services.filter((x) => x.compose).map((x) => `${s.system.name}.${x.name}`))[0];
    await requireDockerEngine(`service ${service} (compose:)`);
    findDockerCompose();
  }
  // On containers, a service with an image runs in it: the image must be here before anything starts.
  const imaged = options.stack === 'containers' ? systems.flatMap((s) => s.system.services.filter((x) => x.image !== undefined).map((x) => ({ where: `${s.system.name}.services.${x.name}.image`, image: x.image! }))) : [];
  if (imaged.length > 0) {
    await requireDockerEngine('--stack containers');
    for (const { where, image } of imaged) await requireImage(image, where);
  }
  if (options.upstreamChecks ?? true) await refuseUpstreamFindings(systems);
  return selection;
}

/**
 * What Prometheus or Alertmanager would refuse at start, refused before anything starts, every
 * finding in one line: every system's checks at once, the first system with findings refused.
 */
export async function refuseUpstreamFindings(systems: readonly CompiledSystem[]): Promise<void> {
  const findings = await settledInOrder(systems.map((system) => upstreamChecks(system)));
  const found = findings.find((f) => f.length > 0);
  if (found) throw badInput(describeFindings(found));
}

/** The targets a drill faults on the scrape path: only their scrapes pass through firedrill. */
export function scrapeFaultTargetsOf(scenario: Scenario): Set<string> {
  return new Set(scenario.faults.filter((f) => isScrapeFault(f.fault.kind)).map((f) => f.fault.target));
}

/** The most requests per second a drill sends at once: its streams' rates, each at its highest stage. */
export function plannedRps(scenario: Scenario): number {
  return scenario.traffic.reduce((n, t) => n + Math.max(t.rps, ...(t.ramp ?? []).map((stage) => stage.rps)), 0);
}

/** A drill's expected wall time: its timeline plus the longest settle it may need. */
export function estimateMs(scenario: Scenario, compiled: ReadonlyMap<string, CompiledSystem>): number {
  const system = compiled.get(scenario.system)!;
  return planScenario(scenario, planContextFor(scenario, system)).durationS * 1000 + settleDeadlineMs(system, scenario.expect.map((e) => e.alert));
}

/** Why a failed drill whose only interference was alerts pending early ran once: the run had already seen them early on both attempts of other drills. */
function notRunAgain(alerts: readonly string[], drills: readonly string[]): string {
  const one = alerts.length === 1;
  return `${alerts.join(', ')} went pending before the faults on both attempts of ${[...new Set(drills)].join(', ')} too, so the run takes ${one ? 'its rule' : 'their rules'} to fire on healthy traffic, not on a busy machine alone, and keeps this failure`;
}

/**
 * Validates everything, then runs each selected scenario on an isolated stack of its own (own
 * ports, Prometheus, Alertmanager, sink and services), many at once from a pool.
 */
export async function runDrills(options: RunDrillsOptions): Promise<RunResult> {
  const provider = providerFor(options.stack);
  const engine = chooseEngine(options.engine);
  // The first reading of the machine's load, so that the first claims (after validation, a second
  // or more) need not wait for one to compare with.
  if (options.jobs === undefined) machineLoad().busyCores();
  // Before any claim: a run beside this one fills less of the machine from its next claim on.
  announceRun();
  const { compiled, selected } = await selectDrills(options);
  await provider.prepare?.();
  const machine = currentMachine();
  // --jobs N: N stacks at once, whatever they cost. Otherwise each stack takes its system's share of the machine.
  const weightOf = (scenario: Scenario) =>
    options.jobs === undefined ? poolShare(drillCost(options.stackCosts?.get(scenario.system) ?? estimatedStackCost(compiled.get(scenario.system)!.system, options.stack), plannedRps(scenario)), machine) : 1;
  const measuredHere = (scenario: Scenario) => options.stackCosts?.get(scenario.system)?.measuredHere === true;
  // Starting services is the CPU-heavy part of a stack's start: one per core at a time, across
  // every firedrill run on the machine (with --jobs, across this run's stacks only).
  const startGate = new Semaphore(Math.max(1, machine.cores));
  const startShare = 1 / Math.max(1, machine.cores);
  const throttle = <T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> =>
    startGate.use(async () => {
      using _starting = options.jobs === undefined ? await startBudget().claim(startShare, { signal }) : undefined;
      return await work();
    });
  const usage = new PoolUsage(options.stack);
  // Alerts that both attempts of one drill saw pending before its first fault: their rules fire on
  // the system's healthy traffic, the machine aside. A later drill failing with only those early
  // keeps its failure instead of running again to learn it anew (a rule broken that way made
  // nearly every drill of a gate run twice). Keyed by system and series (name and every label),
  // valued with that drill.
  const firesOnHealthyTraffic = new Map<string, string>();

  const poolStartedAt = Date.now();
  let started = false;
  const roomNotice =
    options.jobs === undefined && options.onWaitingForRoom
      ? setTimeout(() => {
          if (!started) options.onWaitingForRoom?.({ cores: machine.cores, loadAverage: os.loadavg()[0]!, heldByStacks: machineBudget().held() });
        }, ROOM_NOTICE_MS).unref()
      : undefined;
  const { results, peakRunning } = await runPool(
    selected.map(({ scenario, vacuous }) => ({
      name: scenario.name,
      estimateMs: estimateMs(scenario, compiled),
      weight: weightOf(scenario),
      run: async (signal: AbortSignal) => {
        let system = compiled.get(scenario.system)!;
        try {
          // Other firedrill runs on this machine hold shares of it too: wait for room among all of them.
          using share = options.jobs === undefined ? await machineBudget().claim(weightOf(scenario), { signal, measuredHere: measuredHere(scenario) }) : undefined;
          started = true;
          const voidAttempts: VoidAttempt[] = [];
          let earlierEarly: readonly EarlySeries[] | undefined;
          for (;;) {
            await using stack = await provider.start(system, {
              throttle: (work) =>
                throttle(() => {
                  // Young from here: a claim that waited for a start-up slot has shown nothing in the load yet.
                  share?.renew();
                  return work();
                }, signal),
              keepRunDir: options.keepRunDirs,
              signal,
              scrapeFaultTargets: scrapeFaultTargetsOf(scenario),
              warmUp: (serviceUrls, warmUpSignal) => warmUp(scenario.traffic, serviceUrls, warmUpSignal),
            });
            // Started, and its traffic begins: the load shows the whole stack once read over its window.
            share?.renew(machineLoad().windowMs);
            const startedAtMs = Date.now();
            options.onScenarioStart?.(scenario, stack);
            // A rerun at a lower scale judges again what that scale settles (a clock-bound rule can be judged at 1).
            const unjudgeable = system === compiled.get(scenario.system) ? vacuous : vacuousExpectations(scenario, system);
            const { result, retry } = await runScenario(stack, scenario, { engine, signal, onProgress: options.onProgress, vacuous: unjudgeable });
            usage.add(scenario.system, stack, Date.now() - startedAtMs + stack.readyMs, result.traffic);
            const { name, ...rest } = result;
            const early = retry.pendingBeforeFaults;
            const keyOf = (series: EarlySeries) => `${scenario.system}\n${series.series}`;
            const toldBy = early?.map((series) => firesOnHealthyTraffic.get(keyOf(series)));
            const told = toldBy !== undefined && toldBy.every((drill) => drill !== undefined);
            const mayRunAgain = !result.ok && result.machineInterference !== undefined && voidAttempts.length + 1 < MAX_ATTEMPTS;
            if (mayRunAgain && !told) {
              earlierEarly = early;
              const voided = voidAttempt(result, system.scale);
              voidAttempts.push(voided);
              if (retry.rerunScale !== undefined && retry.rerunScale < system.scale) system = compileSystem(system.system, retry.rerunScale, options.mutations);
              options.onVoidAttempt?.(scenario, voided, voidAttempts.length, system.scale);
              continue;
            }
            for (const series of early ?? []) if (earlierEarly?.some((e) => e.series === series.series)) firesOnHealthyTraffic.set(keyOf(series), scenario.name);
            const withStack: ScenarioResult = {
              name,
              system: scenario.system,
              scale: system.scale,
              stackReadySeconds: seconds(stack.readyMs),
              ...rest,
              ...(mayRunAgain ? { notRunAgain: notRunAgain(early!.map((e) => e.alert), toldBy as string[]) } : {}),
              ...(voidAttempts.length > 0 ? { voidAttempts } : {}),
            };
            options.onScenario?.(withStack, system);
            await options.afterScenario?.(scenario, stack, { fromMs: Date.parse(result.startedAt), toMs: Date.parse(result.endedAt) });
            return withStack;
          }
        } catch (error) {
          // Interrupted (Ctrl-C): this drill has no result; the run reports what finished.
          if (options.signal?.aborted) return undefined;
          throw error;
        }
      },
    })),
    // Without --jobs the machine ledger decides what fits (measured shares may add up past 1 there,
    // and further while this run is alone in it).
    { capacity: options.jobs ?? MEASURED_CLAIMS_CAP * ALONE_ROOM, signal: options.signal },
  ).finally(() => clearTimeout(roomNotice));
  const scenarios = results.filter((r): r is ScenarioResult => r !== undefined);
  const systems = selected.map((d) => compiled.get(d.scenario.system)!);
  return {
    ok: scenarios.length === selected.length && scenarios.every((s) => s.ok),
    ...(options.signal?.aborted ? { interrupted: true } : {}),
    scale: systems[0]!.scale,
    stack: options.stack,
    engine: engine.name,
    ...runTimings(systems),
    stackReadySeconds: Math.max(0, ...scenarios.map((s) => s.stackReadySeconds ?? 0)),
    ...(options.shard ? { shard: options.shard } : {}),
    pool: usage.summary(peakRunning, Date.now() - poolStartedAt),
    scenarios,
  };
}


/**
 * What the pool's stacks cost, measured: CPU seconds of each stack's processes plus firedrill's
 * own (engines, sinks, pollers) and what the stacks cost outside both (docker-compose and docker
 * calls, the Docker engine on containers), over the stacks' lifetimes; the next run sizes its pool
 * from it.
 */
class PoolUsage {
  readonly #ownCpuAtStart = process.cpuUsage();
  readonly #systems = new Map<string, { samples: { cpuSeconds: number; wallSeconds: number; rps: number; requests: number }[]; peakRssBytes: number }>();
  // On containers only: natively, the children that end are the stacks' own processes, already
  // measured (counted again, they would halve the next pool). On containers they are mostly
  // docker-compose and docker calls; the native PostgreSQL and Redis count twice, on the safe side.
  readonly #containers: boolean;
  readonly #sideAtStart: number;

  constructor(provider: StackRequest) {
    this.#containers = provider === 'containers';
    this.#sideAtStart = this.#containers ? sideCpuSeconds() : 0;
  }

  add(system: string, stack: StartedStack, lifetimeMs: number, traffic: { requests: number; achievedRps: number }): void {
    const now = stack.usage();
    const totals = this.#systems.get(system) ?? { samples: [], peakRssBytes: 0 };
    totals.samples.push({ cpuSeconds: now.cpuSeconds, wallSeconds: lifetimeMs / 1000, rps: traffic.achievedRps, requests: traffic.requests });
    totals.peakRssBytes = Math.max(totals.peakRssBytes, now.rssBytes);
    this.#systems.set(system, totals);
  }

  summary(peakRunning: number, wallMs: number): PoolSummary {
    const own = process.cpuUsage(this.#ownCpuAtStart);
    const ownCpuSeconds = (own.user + own.system) / 1e6 + (this.#containers ? Math.max(0, sideCpuSeconds() - this.#sideAtStart) : 0);
    const samples = [...this.#systems.values()].flatMap((t) => t.samples);
    const stacks = samples.length;
    const requests = samples.reduce((n, s) => n + s.requests, 0);
    const stackWallSeconds = samples.reduce((n, s) => n + s.wallSeconds, 0);
    // firedrill's own CPU (engines, sinks, proxies, pollers) goes to each stack by the requests it
    // sent (the engine's share grows with traffic), or by its time when no drill sent any.
    const ownShare = (s: { requests: number; wallSeconds: number }) => ownCpuSeconds * (requests > 0 ? s.requests / requests : s.wallSeconds / stackWallSeconds);
    const memoryPerStack = Math.round(process.memoryUsage().rss / Math.max(stacks, 1));
    const measuredStackCosts = Object.fromEntries(
      [...this.#systems]
        .filter(([, t]) => t.samples.some((s) => s.wallSeconds > 0))
        .map(([system, t]) => [
          system,
          fitStackCost(
            t.samples.filter((s) => s.wallSeconds > 0).map((s) => ({ cpuSeconds: s.cpuSeconds + ownShare(s), wallSeconds: s.wallSeconds, rps: s.rps })),
            t.peakRssBytes + memoryPerStack,
          ),
        ]),
    );
    const cpuSeconds = samples.reduce((n, s) => n + s.cpuSeconds, 0) + ownCpuSeconds;
    return { jobs: peakRunning, stacks, wallSeconds: seconds(wallMs), cpuSeconds: Math.round(cpuSeconds * 10) / 10, measuredStackCosts };
  }
}
