import { seconds } from '../duration.ts';
import { FiredrillError } from '../errors.ts';
import type { DrillEngine } from '../engine/drill-engine.ts';
import type { LiveTraffic } from '../engine/traffic.ts';
import { alertsNamedBy } from '../expect/expectation.ts';
import { recoveryNote } from '../expect/recovery-note.ts';
import { readAlertHistories } from '../observe/alert-episodes.ts';
import { buildAlertTraces, iso, type AlertTrace } from '../observe/alert-trace.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { AlertmanagerPoller } from '../observe/alertmanager-poller.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { ExpectationResult, ScenarioResult } from '../report/run-result.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import type { Scenario } from './define-scenario.ts';
import { judgeDrill } from './judge-drill.ts';
import { interferenceOf, machineInterference, pendingBeforeFaults, starvedScrapes, startUpPastFor, type Interference, type RetryHints } from './machine-interference.ts';
import { ruleOrFirst } from '../compile/rule-of-series.ts';
import { jobsReachedByPart, jobsScrapingPart, jobsWatchedBy } from '../compile/watched-targets.ts';
import { timedOutScrapes, type TimeoutsOf } from '../observe/timed-out-scrapes.ts';
import { RunQueueSampler, type RunQueueWaits } from '../observe/run-queue-waits.ts';
import { scrapeTargets } from '../config/resolved-system.ts';
import { blackboxTimeoutOffsetS } from '../stack/exporters/exporter-invocation.ts';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { planContextFor } from './plan-context.ts';
import { planScenario } from './scenario-plan.ts';
import { startProgress, type ScenarioProgress } from './scenario-progress.ts';
import { sampleTraffic } from './traffic-timeline.ts';
import { evaluationIntervalOf, injectedDelayMs, settle } from './settle.ts';
import type { VacuousExpectation } from './validate-scenario.ts';

export type { ScenarioProgress } from './scenario-progress.ts';

export interface RunScenarioOptions {
  readonly engine: DrillEngine;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScenarioProgress) => void;
  /** Expectations known before the drill not to be able to fail: they fail, with the reason. */
  readonly vacuous?: readonly VacuousExpectation[];
}

/** A drill's result, before the loop that ran it adds its system, scale and stack. */
export type DrillResult = Omit<ScenarioResult, 'system' | 'scale' | 'stackReadySeconds'>;

/** A drill's result, and beside it what a failed attempt tells the loop that may run it again. */
export interface DrillOutcome {
  readonly result: DrillResult;
  readonly retry: RetryHints;
}

/** Runs one scenario on a started stack: history, traffic and faults, then observation and verdicts. */
export async function runScenario(stack: StartedStack, scenario: Scenario, options: RunScenarioOptions): Promise<DrillOutcome> {
  const { compiled } = stack;
  const plan = planScenario(scenario, planContextFor(scenario, compiled));
  const prometheus = new PrometheusClient(stack.prometheusUrl);
  const poller = new AlertmanagerPoller(new AlertmanagerClient(stack.alertmanagerUrl), {
    busyMs: Math.max(100, compiled.evaluationIntervalMs / 3),
    idleMs: Math.max(100, compiled.evaluationIntervalMs),
  });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort(); // stopped before it began: no traffic, no fault
  // A crash or hang of the stack ends the drill at once: no verdict on a dead observer's data.
  stack.health.signal.addEventListener('abort', onOuterAbort, { once: true });
  const failIfUnhealthy = async () => {
    const failure = stack.health.failure ?? (await stack.health.check());
    if (failure) throw failure;
  };
  // Whatever failed because a component died or hung is reported as that component's failure.
  const blameTheStack = async (error: unknown): Promise<never> => {
    await failIfUnhealthy();
    throw error;
  };
  const startedAtMs = Date.now();
  const runQueue = new RunQueueSampler(() => stack.partPids(), runQueuePeriodMs(compiled));
  const live: LiveTraffic = { requests: 0, failures: 0 };
  let phase: ScenarioProgress['phase'] = 'running';
  poller.start();
  const timeline = sampleTraffic(live, startedAtMs);
  const progress = options.onProgress ? startProgress(scenario.name, plan.durationS, startedAtMs, live, prometheus, () => phase, options.onProgress) : undefined;

  try {
    runQueue.start();
    const traffic = await options.engine
      .run(plan, { serviceUrls: Object.fromEntries(stack.serviceUrls), faults: { url: stack.faults.url, token: stack.faultToken } }, { signal: abort.signal, live })
      .catch(blameTheStack);
    phase = 'settling';
    const trafficTimeline = timeline.stop();
    await failIfUnhealthy();
    await stack.faults.revertAll();
    if (options.signal?.aborted) throw new FiredrillError('ENVIRONMENT', `scenario ${scenario.name} interrupted`);
    await failIfUnhealthy();

    await settle(stack, scenario, prometheus, startedAtMs, abort.signal).catch(blameTheStack);
    await failIfUnhealthy();
    await poller.stop();
    const endedAtMs = Date.now();
    const runQueueWaits = runQueue.stop();
    const faults = stack.faults.records();
    const scaledForOf = (name: string, labels: Readonly<Record<string, string>>) => ruleOrFirst(compiled.alerts, name, labels)?.scaledForMs ?? 0;
    const histories = await readAlertHistories(prometheus, evaluationIntervalOf(compiled), startedAtMs - compiled.evaluationIntervalMs, endedAtMs, scaledForOf).catch(blameTheStack);
    const alerts = buildAlertTraces({
      rules: compiled.alerts,
      histories,
      poller,
      notifications: stack.sink.notifications().filter((n) => n.atMs >= startedAtMs),
      faults,
      mentioned: alertsNamedBy(scenario.expect),
    });
    const judgement = await judgeDrill(prometheus, {
      scenario,
      compiled,
      traces: alerts,
      faults,
      startedAtMs,
      endedAtMs,
      alertmanagerGap: poller.gap(),
    }).catch(blameTheStack);
    await failIfUnhealthy(); // verdicts are only as good as what the observers saw until the end
    const vacuous = new Map((options.vacuous ?? []).map((v) => [v.index, v.reason]));
    const expectations = [
      ...judgement.expectations.map((e, i) => (vacuous.has(i) ? { ...e, ok: false, detail: vacuous.get(i)! } : e)),
      ...traffic.thresholds.map((t) => ({ description: `traffic ${t.stream} to ${plan.streams.find((p) => p.name === t.stream)?.service} answers 2xx: ${t.expression}`, ok: t.ok, detail: `answered 2xx: ${t.observed}${t.ok ? '' : recoveryNote(faults, compiled.scale, 'give the hold room for it or lower minOkRatio')}` })),
    ];
    const interference: Interference =
      stack.provider === 'external' ? { lines: [], retry: {} } : await observeInterference(prometheus, stack.compiled, faults, alerts, { startedAtMs, endedAtMs, inFlightMs: injectedDelayMs(scenario, compiled), failed: expectations.filter((e) => !e.ok), runQueueWaits }).catch(blameTheStack);
    const result: DrillResult = {
      name: scenario.name,
      ok: expectations.every((e) => e.ok),
      historySeconds: plan.historyS,
      startedAt: iso(startedAtMs)!,
      endedAt: iso(endedAtMs)!,
      traffic,
      trafficTimeline,
      faults: resultFaults(faults),
      alerts,
      expectations,
      power: judgement.power,
      ruleValues: judgement.ruleValues,
      ...(interference.lines.length > 0 ? { machineInterference: [...interference.lines] } : {}),
    };
    return { result, retry: interference.retry };
  } finally {
    if (progress) clearInterval(progress);
    runQueue.stop();
    timeline.stop();
    abort.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    stack.health.signal.removeEventListener('abort', onOuterAbort);
    await poller.stop(false);
    await stack.faults.revertAll().catch(() => undefined);
  }
}

/**
 * What this machine, not the rules, may have done to the drill (machine-interference.ts). Only on
 * stacks firedrill compressed: on a game day a scrape that timed out is production's own outage.
 */
async function observeInterference(
  prometheus: PrometheusClient,
  compiled: CompiledSystem,
  faults: readonly FaultRecord[],
  traces: readonly AlertTrace[],
  drill: { readonly startedAtMs: number; readonly endedAtMs: number; readonly inFlightMs: number; readonly failed: readonly ExpectationResult[]; readonly runQueueWaits: RunQueueWaits },
): Promise<Interference> {
  const timedOut = await timedOutScrapes(prometheus, scrapeTimeouts(compiled), drill.startedAtMs, drill.endedAtMs);
  const graceMs = drill.inFlightMs + 2 * compiled.scrapeIntervalMs;
  const reached = jobsReachedByPart(compiled.system);
  const scraping = jobsScrapingPart(compiled.system);
  // The parts that answer each job's scrapes themselves: the processes whose wait for a CPU counts.
  const targetsOf = new Map<string, string[]>();
  for (const t of scrapeTargets(compiled.system)) targetsOf.set(t.job, [...(targetsOf.get(t.job) ?? []), t.name]);
  // A target firedrill does not know (none, on a compiled stack) is taken to reach and act on every job.
  const starved = starvedScrapes(timedOut, faults, graceMs, drill.endedAtMs, {
    reaches: (target, job) => reached.get(target)?.has(job) ?? true,
    direct: (target, job) => scraping.get(target)?.has(job) ?? true,
  }, {
    partsOf: (job) => targetsOf.get(job) ?? [],
    during: (part, fromMs, toMs) => drill.runQueueWaits.during(part, fromMs, toMs),
  });
  // A failed drill counts only what its failed alerts read: a starved node_exporter says nothing
  // of an API alert's verdict, and a traffic ratio reads no scrape. A passing one shows them all.
  const read = drill.failed.length === 0 ? undefined : jobsReadBy(drill.failed, compiled);
  const starvedLines = machineInterference(read ? starved.filter((s) => read.has(s.job)) : starved, drill.startedAtMs);
  return interferenceOf(pendingBeforeFaults(drill.failed, traces, faults), startUpPastFor(drill.failed, traces, faults, compiled.scale), starvedLines, drill.startedAtMs);
}

/** The scrape jobs the rules of these verdicts' alerts read. */
function jobsReadBy(verdicts: readonly ExpectationResult[], compiled: CompiledSystem): Set<string> {
  const rules = compiled.alerts.filter((rule) => verdicts.some((e) => e.alert === rule.alertname));
  return new Set(rules.flatMap((rule) => [...jobsWatchedBy(rule, compiled.system)]));
}

/**
 * How often the parts' run-queue waits are read: every half of the shortest scrape timeout (125 ms
 * at scale 40), so that a timed-out scrape's span is bracketed within its timeout at each end.
 */
function runQueuePeriodMs(compiled: CompiledSystem): number {
  return Math.max(100, Math.min(1_000, ...compiled.prometheus.jobs.map((j) => j.scaledTimeoutMs / 2)));
}

/** Each compiled job's scaled scrape timeout, and how long a blackbox probe of it may run (exporter-invocation.ts). */
function scrapeTimeouts(compiled: CompiledSystem): TimeoutsOf {
  const scrape = (job: string) => compiled.prometheus.jobs.find((j) => j.job === job)?.scaledTimeoutMs;
  return {
    scrape,
    probe: (job) => {
      const timeoutMs = scrape(job);
      return timeoutMs === undefined ? undefined : timeoutMs - blackboxTimeoutOffsetS(timeoutMs) * 1000;
    },
  };
}

/** Fault records as the result JSON shows them. */
export function resultFaults(records: readonly FaultRecord[]): ScenarioResult['faults'] {
  return records.map((f) => ({
    target: f.spec.target,
    kind: f.spec.kind,
    injectedAt: iso(f.injectedAtMs)!,
    revertedAt: iso(f.revertedAtMs),
    ...(f.downMs === undefined ? {} : { downSeconds: seconds(f.downMs) }),
  }));
}
