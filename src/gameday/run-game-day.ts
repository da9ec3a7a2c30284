import { compileLiveSystem, compileSystem, type CompiledSystem, type ScaleRequest } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { parseDurationMs, seconds } from '../duration.ts';
import { chooseEngine, type EngineRequest } from '../engine/choose-engine.ts';
import type { TrafficSummary } from '../engine/traffic.ts';
import { badInput } from '../errors.ts';
import { readDeliveryCounts, readingBetween } from '../observe/alertmanager-routing.ts';
import { EVIDENCE, judgeDelivery } from './judge-delivery.ts';
import { ContinueWebhook } from '../observe/continue-webhook.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { RunResult, ScenarioResult } from '../report/run-result.ts';
import { runTimings } from '../report/system-timing.ts';
import { loadScenarios, refuseVacuous, selectScenarios, type LoadedScenario } from '../scenario/load-scenarios.ts';
import { planContextFor } from '../scenario/plan-context.ts';
import { resultFaults, runScenario, type ScenarioProgress } from '../scenario/run-scenario.ts';
import { planScenario } from '../scenario/scenario-plan.ts';
import { trimSlash } from '../observe/http-json.ts';
import { externalOf, externalStackProvider } from '../stack/external/external-stack.ts';
import { readLiveMonitoring } from '../stack/external/live-monitoring.ts';
import { checkAbortGuards, startAbortGuards, type AbortReason } from './abort-guards.ts';
import { checkGameDay, checkGameDayScale, DEFAULT_MAX_DURATION } from './game-day-checks.ts';
import { describeGameDayPlan, drillBoundMs } from './game-day-plan.ts';
import { JOURNAL_DIR, RevertJournal } from './revert-journal.ts';
import { removeSilence, silenceAlerts } from './silences.ts';

export interface GameDayOptions {
  readonly config: LoadedConfig;
  readonly scenarioNames: readonly string[];
  readonly scale: ScaleRequest;
  readonly engine: EngineRequest;
  readonly systems?: readonly string[];
  /** Silence the drills' alerts in Alertmanager while they run (`--silence`). */
  readonly silence: boolean;
  /** Shown the plan; resolves true to go on. `--yes` answers it, `--dry-run` never asks. */
  readonly confirm: (plan: string) => Promise<boolean>;
  readonly dryRun: boolean;
  readonly signal?: AbortSignal;
  readonly journalDir?: string;
  readonly onScenario?: (result: ScenarioResult) => void;
  readonly onProgress?: (progress: ScenarioProgress) => void;
}

export type GameDayOutcome =
  | { readonly kind: 'planned'; readonly plan: string }
  /** `failure`: what ended the game day early on the stack's side (the result holds the drills before it). */
  | { readonly kind: 'ran'; readonly plan: string; readonly result: RunResult; readonly failure?: unknown };

const NO_TRAFFIC: TrafficSummary = { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] };

/** Every system's rules, routes and inhibitions as the running stacks have them; files for systems not drilled. */
async function compileForGameDay(options: GameDayOptions): Promise<{ compiled: Map<string, CompiledSystem>; drills: LoadedScenario[] }> {
  checkGameDayScale(options.scale);
  const chosen = (name: string) => options.systems === undefined || options.systems.includes(name);
  for (const name of options.systems ?? []) {
    const system = options.config.systems.find((s) => s.name === name);
    if (!system) throw badInput(`--system ${name}: no such system in ${options.config.file}; known: ${options.config.systems.map((s) => s.name).join(', ')}`);
    if (!system.external) throw badInput(`--system ${name}: --stack external needs systems.${name}.external in ${options.config.file} (Prometheus and Alertmanager URLs, services, allow)`);
  }
  const compiled = new Map<string, CompiledSystem>();
  for (const system of options.config.systems) {
    if (system.external && chosen(system.name)) {
      const sources = await readLiveMonitoring(system.external, `systems.${system.name}.external`);
      const live = { ...system, prometheus: `${trimSlash(system.external.prometheus)}/api/v1/status/config`, alertmanager: `${trimSlash(system.external.alertmanager)}/api/v2/status` };
      compiled.set(system.name, compileLiveSystem(live, sources));
    } else {
      compiled.set(system.name, compileSystem(system, 'auto'));
    }
  }
  const all = await loadScenarios(options.config.scenariosDir, compiled);
  const onStack = all.filter((l) => compiled.get(l.scenario.system)!.system.external && chosen(l.scenario.system));
  const named = selectScenarios(options.scenarioNames.length ? all : onStack, options.scenarioNames);
  for (const drill of named) {
    if (!onStack.includes(drill)) throw badInput(`scenario ${drill.scenario.name}: its system ${drill.scenario.system} has no external block in ${options.config.file}; --stack external drills only systems with one`);
  }
  if (named.length === 0) throw badInput(`${options.config.scenariosDir}: no scenario of a system with an external block`);
  refuseVacuous(named);
  checkGameDay(named, compiled);
  for (const name of new Set(named.map((d) => d.scenario.system))) {
    const external = externalOf(compiled.get(name)!);
    await checkAbortGuards(new PrometheusClient(trimSlash(external.prometheus)), external.abortWhen ?? [], `systems.${name}.external`);
  }
  return { compiled, drills: named };
}

/**
 * A game day: the selected drills one after another, in real time, on stacks firedrill did not
 * start. Everything is checked and the plan confirmed before anything is touched; every fault
 * and silence is journaled before it is applied and taken back out on every path; abort guards
 * stop a drill that hurts more than planned.
 */
export async function runGameDay(options: GameDayOptions): Promise<GameDayOutcome> {
  const { compiled, drills } = await compileForGameDay(options);
  const engine = chooseEngine(options.engine);
  const journalDir = options.journalDir ?? JOURNAL_DIR;
  const runId = `gd${Date.now().toString(36)}${process.pid.toString(36)}`;
  const journalFile = `${journalDir}/${runId}.jsonl`;
  const plan = describeGameDayPlan({ drills, compiled, silence: options.silence, journalFile });
  if (options.dryRun) return { kind: 'planned', plan };
  if (!(await options.confirm(plan))) return { kind: 'planned', plan };

  const webhooks = await listenForCopies(drills, compiled);
  const ownSilences = new Set<string>();
  const scenarios: ScenarioResult[] = [];
  const startedAtMs = Date.now();
  let journal: RevertJournal | undefined;
  let journalLeft = 0;
  // A drill that fails on the stack's side ends the game day, but the drills before it keep their results.
  let failure: unknown;
  try {
    journal = new RevertJournal(journalDir, runId);
    for (const drill of drills) {
      if (options.signal?.aborted) break;
      const result = await runOneDrill(drill, compiled.get(drill.scenario.system)!, journal).catch((error: unknown) => {
        failure = error;
        return undefined;
      });
      if (failure) break;
      if (result) {
        scenarios.push(result);
        options.onScenario?.(result);
      }
    }
  } finally {
    journalLeft = journal?.close() ?? 0;
    await Promise.all([...webhooks.values()].map((w) => w.close()));
  }

  async function runOneDrill(drill: LoadedScenario, system: CompiledSystem, journal: RevertJournal): Promise<ScenarioResult | undefined> {
    const external = externalOf(system);
    const webhook = external.webhook ? webhooks.get(external.webhook.listen) : undefined;
    const provider = externalStackProvider({ journal, runId, ownSilences, webhook });
    const alertmanager = trimSlash(external.alertmanager);
    const boundMs = drillBoundMs(drill, system);
    const before = await readDeliveryCounts(alertmanager);
    const copiesBefore = webhook?.posts() ?? 0;
    let silence: { id: string; alertmanager: string; key: string } | undefined;
    if (options.silence) {
      const tag = `firedrill game day ${runId} drill ${drill.scenario.name}`;
      const key = journal.record({ kind: 'silence', alertmanager, tag });
      // Every alert of the stack's rules: a drill can set off more than it names.
      const names = [...new Set(system.alerts.map((a) => a.alertname))];
      const created = await silenceAlerts(alertmanager, names, Date.now() + boundMs + 60_000, tag);
      silence = { ...created, key };
      ownSilences.add(created.id);
    }
    const maxMs = parseDurationMs(external.maxDuration ?? DEFAULT_MAX_DURATION, 'maxDuration');
    const guards = startAbortGuards(new PrometheusClient(trimSlash(external.prometheus)), external.abortWhen ?? [], maxMs, Math.max(1_000, system.evaluationIntervalMs));
    const signal = AbortSignal.any([guards.signal, ...(options.signal ? [options.signal] : [])]);
    const drillStartedAtMs = Date.now();
    try {
      const stack = await provider.start(system);
      try {
        // A game day runs each drill once, on production: what another attempt would need is not asked.
        const { result: ran } = await runScenario(stack, drill.scenario, { engine, signal, onProgress: options.onProgress, vacuous: drill.vacuous });
        const delivery = readingBetween(before, await readDeliveryCounts(alertmanager));
        const copies = (webhook?.posts() ?? 0) - copiesBefore;
        const expectations = judgeDelivery(ran.expectations, drill.scenario.expect, delivery, { silenced: options.silence, exactTimes: webhook !== undefined, copies });
        return {
          ...ran,
          system: system.system.name,
          scale: 1,
          stackReadySeconds: seconds(stack.readyMs),
          ok: expectations.every((e) => e.ok),
          expectations,
          delivery: delivery.integrations,
          ...(delivery.receivers ? { deliveryByReceiver: delivery.receivers } : {}),
          ...(copies ? { webhookCopies: copies } : {}),
        };
      } catch (error) {
        const reason = guards.reason();
        if (!reason) {
          if (options.signal?.aborted) return undefined;
          throw error;
        }
        const reverted = await stack.faults.revertAll().then(() => true, () => false);
        return abortedResult(drill, system, reason, drillStartedAtMs, resultFaults(stack.faults.records()), reverted);
      } finally {
        await stack.stop();
      }
    } finally {
      guards.stop();
      // A silence that would not go stays in the journal, for `firedrill revert`; the drill keeps its result.
      if (silence && (await removeSilence(silence).then(() => true, () => false))) journal.done(silence.key);
    }
  }

  const result: RunResult = {
    ok: scenarios.length === drills.length && scenarios.every((s) => s.ok),
    ...(options.signal?.aborted ? { interrupted: true } : {}),
    scale: 1,
    stack: 'external',
    engine: engine.name,
    ...runTimings(drills.map((d) => compiled.get(d.scenario.system)!)),
    stackReadySeconds: Math.max(0, ...scenarios.map((s) => s.stackReadySeconds ?? 0)),
    gameDay: { silenced: options.silence, journal: journalFile, ...(journalLeft ? { journalLeft } : {}), evidence: EVIDENCE },
    pool: { jobs: 1, stacks: scenarios.length, wallSeconds: seconds(Date.now() - startedAtMs), cpuSeconds: 0, measuredStackCosts: {} },
    scenarios,
  };
  return { kind: 'ran', plan, result, ...(failure === undefined ? {} : { failure }) };
}

/** The result of a drill an abort guard stopped: one failed verdict saying which guard and what it saw. */
function abortedResult(drill: LoadedScenario, system: CompiledSystem, reason: AbortReason, startedAtMs: number, faults: ScenarioResult['faults'], reverted: boolean): ScenarioResult {
  const plan = planScenario(drill.scenario, planContextFor(drill.scenario, system));
  return {
    name: drill.scenario.name,
    system: system.system.name,
    scale: 1,
    ok: false,
    aborted: reason,
    historySeconds: plan.historyS,
    startedAt: new Date(startedAtMs).toISOString(),
    endedAt: new Date().toISOString(),
    traffic: NO_TRAFFIC,
    faults,
    alerts: [],
    expectations: [{ description: `${drill.scenario.name} runs to its end without tripping an abort guard`, ok: false, detail: `aborted at ${reason.at} by '${reason.guard}': ${reason.detail}; ${reverted ? 'every fault was reverted' : 'a fault could not be reverted: run firedrill revert'}` }],
    power: [],
  };
}

/** One listener per configured webhook address, for the team's `continue: true` copy of every notification. */
async function listenForCopies(drills: readonly LoadedScenario[], compiled: ReadonlyMap<string, CompiledSystem>): Promise<Map<string, ContinueWebhook>> {
  const webhooks = new Map<string, ContinueWebhook>();
  for (const name of new Set(drills.map((d) => d.scenario.system))) {
    const listen = externalOf(compiled.get(name)!).webhook?.listen;
    if (!listen || webhooks.has(listen)) continue;
    try {
      webhooks.set(listen, await ContinueWebhook.listen(listen));
    } catch (error) {
      await Promise.all([...webhooks.values()].map((w) => w.close()));
      throw badInput(`systems.${name}.external.webhook.listen: cannot listen on ${listen} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pick a free port and point the firedrill route's webhook at it`);
    }
  }
  return webhooks;
}
