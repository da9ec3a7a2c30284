import type { FaultRecord } from '../faults/fault-controller.ts';
import { labelSetKey, labelsMatch } from '../labels-match.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { traceName } from '../report/trace-name.ts';
import type { TimedOutScrape } from '../observe/timed-out-scrapes.ts';
import { plannedDownMs } from '../expect/recovery-note.ts';
import type { ThreadSpan } from '../observe/run-queue-waits.ts';

/** A timed-out scrape the machine, not a fault, accounts for. */
export interface StarvedScrape extends TimedOutScrape {
  /** Set when faults were in effect while it ran, none of them reaching its target. */
  readonly besideFaults?: true;
  /**
   * Set when a fault in effect could have slowed this scrape: a scrape no fault reaches timed out
   * while it ran, so the whole machine stalled right then.
   */
  readonly stalledWith?: TimedOutScrape;
  /** Set when the part it scrapes waited for a CPU for half its timeout or more while it ran, and at least twice as long as it ran (run-queue-waits.ts). */
  readonly heldOffCpu?: HeldOffCpu;
}

/** A scraped part's main thread, runnable but waiting for a CPU. */
export interface HeldOffCpu {
  readonly part: string;
  readonly waitedMs: number;
}

/** The parts a job scrapes, and what a part's main thread did over a span (RunQueueWaits). */
export interface RunQueueEvidence {
  partsOf(job: string): readonly string[];
  during(part: string, fromMs: number, toMs: number): ThreadSpan | undefined;
}

/**
 * The part of a timed-out scrape's job that, while the scrape ran, waited for a CPU for at least
 * half the scrape's timeout and at least twice as long as it ran: a target kept off the CPU that
 * long answers late by that much. Waiting more than running is the machine's hand: a thread a
 * fault keeps busy on a machine with room runs more than it waits. Undefined when none did, or
 * none was sampled.
 */
export function heldOffCpu(scrape: TimedOutScrape, evidence: RunQueueEvidence): HeldOffCpu | undefined {
  const held = evidence.partsOf(scrape.job).flatMap((part) => {
    const span = evidence.during(part, scrape.atMs, scrape.atMs + scrape.durationMs);
    return span && span.waitedMs >= scrape.timeoutMs / 2 && span.waitedMs >= 2 * span.ranMs ? [{ part, waitedMs: Math.round(span.waitedMs) }] : [];
  });
  return held.sort((a, b) => b.waitedMs - a.waitedMs)[0];
}

/** What a fault on a part (service, dependency, exporter, host) can do to a scrape job. */
export interface FaultReach {
  /** It can change the job's series: the job scrapes the part or something that depends on it. */
  reaches(faultTarget: string, job: string): boolean;
  /** It acts on what the job scrapes itself: the part's own job, or an exporter's that reads or probes it. */
  direct(faultTarget: string, job: string): boolean;
}

/** Without the system's shape: every fault reaches and acts on every job (no timeout in a fault's window is the machine's). */
const EVERYWHERE: FaultReach = { reaches: () => true, direct: () => true };

/**
 * The timed-out scrapes and probes the machine accounts for. A target of this machine answers a
 * scrape in milliseconds; one that took the whole scaled timeout (250 ms at scale 40, for
 * production's 10 s) was starved of CPU, and Prometheus recorded an outage that production would
 * never have seen. A fault explains a timeout when it reaches the target (`reaches`: its own part,
 * or one it depends on) and was in effect when the scrape began or ran, or within `graceMs` of its
 * end (requests a latency fault held still draining, a target still coming back). A timeout no
 * fault explains shows the machine stalled while it ran, and every other timeout at that moment
 * stalled with it, reached by a fault or not: seen when a drill stopped PostgreSQL and its 52
 * backends exiting at once kept the backend's scrapes, which a database fault may slow, and the
 * Redis exporter's, which it cannot, past their timeout together.
 */
export function starvedScrapes(timedOut: readonly TimedOutScrape[], faults: readonly FaultRecord[], graceMs: number, endedAtMs: number, reach: FaultReach = EVERYWHERE, evidence?: RunQueueEvidence): StarvedScrape[] {
  const windows = faults.map((f) => ({ target: f.spec.target, fromMs: f.injectedAtMs, toMs: Math.max(f.revertedAtMs ?? endedAtMs, f.injectedAtMs + (f.downMs ?? 0)) + graceMs }));
  // A sample carries its scrape's start: a scrape begun just before a fault ran into it.
  const inEffect = (s: TimedOutScrape) => windows.filter((w) => s.atMs + s.durationMs >= w.fromMs && s.atMs <= w.toMs);
  const explained = (s: TimedOutScrape) => inEffect(s).some((w) => reach.reaches(w.target, s.job));
  // A fault on the scraped part itself (a latency, a pause, a scrape timeout) keeps its own account of the timeout, stall or not.
  const direct = (s: TimedOutScrape) => inEffect(s).some((w) => reach.direct(w.target, s.job));
  const unexplained = timedOut.filter((s) => !explained(s));
  return timedOut.flatMap((s): StarvedScrape[] => {
    if (!explained(s)) return [inEffect(s).length > 0 ? { ...s, besideFaults: true } : s];
    if (direct(s)) return [];
    // Measured, not inferred: a fault on something the target waits on leaves it asleep, not
    // runnable and waiting for a CPU; the machine's other work does that.
    const held = evidence ? heldOffCpu(s, evidence) : undefined;
    if (held) return [{ ...s, heldOffCpu: held }];
    const witness = unexplained.find((u) => u.atMs <= s.atMs + s.durationMs && s.atMs <= u.atMs + u.durationMs);
    return witness ? [{ ...s, stalledWith: witness }] : [];
  });
}

/**
 * The starved scrapes of a drill, one line per target. A target that came back late from a kill,
 * stop or restart is not counted here: its start-up is real time on every run, so it would make
 * nearly every failed drill with such a fault run twice, and halve the failures of an alert that
 * really flaps after it (the recovery note of a failed verdict says it instead; `startUpPastFor`
 * counts only an alert that fired during the outage because the start-up outlasted its `for`).
 * Empty when none.
 */
export function machineInterference(starved: readonly StarvedScrape[], startedAtMs: number): string[] {
  const at = (ms: number) => sinceStart(ms, startedAtMs);
  const reason = (s: StarvedScrape) => (s.heldOffCpu ? `held ${s.heldOffCpu.part}` : s.stalledWith ? 'stall' : s.besideFaults ? 'unreached' : 'no fault');
  // One line per target and reason: each line's reason holds for every scrape it counts.
  const byTarget = new Map<string, StarvedScrape[]>();
  for (const s of starved) {
    const key = `${s.what} ${s.job} ${s.instance} ${reason(s)}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), s]);
  }
  return [...byTarget.values()].map((group) => {
    const [first] = group as [StarvedScrape, ...StarvedScrape[]];
    const last = group.at(-1)!;
    const what = first.what === 'probe' ? 'probe' : 'scrape';
    const one = group.length === 1;
    const when = one ? `a ${what} of job ${first.job} (${first.instance}) at ${at(first.atMs)} ran out its` : `${group.length} ${what}s of job ${first.job} (${first.instance}) from ${at(first.atMs)} to ${at(last.atMs)} ran out their`;
    const longestWait = Math.max(...group.map((s) => s.heldOffCpu?.waitedMs ?? 0));
    const why = first.heldOffCpu
      ? `while part ${first.heldOffCpu.part}, runnable, waited ${one ? '' : 'up to '}${longestWait} ms for a CPU${one ? '' : ' in each'}`
      : first.stalledWith
      ? `while a ${first.stalledWith.what} of job ${first.stalledWith.job}, which no fault in effect reaches, timed out too`
      : first.besideFaults ? `with no fault in effect that reaches ${one ? 'it' : 'them'}` : 'with no fault in effect';
    return `${when} ${Math.round(first.timeoutMs)} ms timeout ${why}: the machine starved ${one ? 'it' : 'them'}`;
  });
}

/** An alert of a failed verdict pending before the drill's first fault. */
export interface PendingBeforeFaults extends EarlySeries {
  readonly pendingMs: number;
  readonly firstFaultMs: number;
}

/** An alert series that went pending before a drill's faults. */
export interface EarlySeries {
  /** As the report names it: `name{labels}`, with only the labels that tell it from the drill's other traces. */
  readonly alert: string;
  /** Its name and every label: the same series in any drill of the system, whatever else that drill's traces are. */
  readonly series: string;
}

/** The report's line for one such alert. */
function pendingBeforeFaultsLine({ alert, pendingMs, firstFaultMs }: PendingBeforeFaults, startedAtMs: number): string {
  return `${alert} went pending at ${sinceStart(pendingMs, startedAtMs)}, ${((firstFaultMs - pendingMs) / 1000).toFixed(1)}s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)`;
}

/**
 * The alerts of failed verdicts that went pending before the drill's first fault: the system was
 * not healthy when the faults began (a service still cold or starved of CPU on a busy machine, seen
 * in CI: DjangoHighLatency pending in the history of a THE_BOT drill, before any fault). A rule
 * that fires on healthy traffic does it again on the second attempt, and in the system's baseline
 * drill, which has no fault and so never runs twice for this. Empty for a drill without faults.
 */
export function pendingBeforeFaults(failed: readonly Pick<ExpectationResult, 'alert' | 'labels'>[], traces: readonly AlertTrace[], faults: readonly FaultRecord[]): PendingBeforeFaults[] {
  if (faults.length === 0) return [];
  const firstFaultMs = Math.min(...faults.map((f) => f.injectedAtMs));
  return tracesNamedBy(failed, traces).flatMap((t) => {
    const early = t.episodes.find((e) => Date.parse(e.pendingAt) < firstFaultMs);
    return early ? [{ alert: traceName(t, traces), series: `${t.alertname}${labelSetKey(t.labels)}`, pendingMs: Date.parse(early.pendingAt), firstFaultMs }] : [];
  });
}

/** An alert that fired because a target's real start-up made its outage longer than the alert's scaled `for` (`startUpPastFor`). */
export interface StartUpPastFor {
  /** What happened, for the report. */
  readonly line: string;
  /**
   * The largest scale at which the same outage, its start-up taken twice as long, stays within the
   * alert's scaled `for`: where another attempt can judge the rule. At most half the drill's scale,
   * as the start-up alone already filled `for` beside the plan's part; at least 1.
   */
  readonly roomyScale: number;
}

/**
 * The alerts of failed "does not fire" verdicts (and strangers that fired) whose episode began
 * while a killed, stopped or restarted target was down, when the plan kept it down for less than
 * the alert's scaled `for` but its real start-up made the outage last longer (seen in CI, about
 * one run in seven: the Piyasa worker's container took 3.4 s to start again on a loaded machine,
 * past WorkerDown's 3 s). At that scale, that start-up was an outage longer than `for`; another
 * attempt at a scale whose `for` holds it can judge the rule. A rule whose `for` the plan itself
 * outlasts (none at all, or one shorter than the gap) fires on every attempt, and still fails.
 */
export function startUpPastFor(failed: readonly Pick<ExpectationResult, 'alert' | 'labels' | 'kind'>[], traces: readonly AlertTrace[], faults: readonly FaultRecord[], scale: number): StartUpPastFor[] {
  const notFiring = failed.filter((e) => e.kind === 'doesNotFire' || e.kind === 'unexpected');
  return tracesNamedBy(notFiring, traces).flatMap((t) => {
    const forMs = t.scaledForSeconds * 1000;
    for (const f of faults) {
      const plannedMs = plannedDownMs(f);
      const downMs = f.downMs;
      if (downMs === undefined || plannedMs === undefined || plannedMs >= forMs || downMs < forMs) continue;
      const during = t.episodes.some((e) => e.firingAt !== null && Date.parse(e.pendingAt) >= f.injectedAtMs && Date.parse(e.pendingAt) <= f.injectedAtMs + downMs);
      if (!during) continue;
      const planned = f.spec.kind === 'restart' ? 'gap' : 'hold';
      // At scale s the plan's part of the outage and `for` are both rule time / s; the start-up is
      // real time. Twice the start-up fits beside the plan's part where s <= scale * (for - planned) / (2 * start-up).
      const startUpMs = downMs - plannedMs;
      const roomyScale = Math.max(1, Math.floor((scale * (forMs - plannedMs)) / (2 * startUpMs)));
      return [
        {
          line: `${traceName(t, traces)} fired while ${f.spec.kind}(${f.spec.target}) was down ${(downMs / 1000).toFixed(1)}s against a planned ${(plannedMs / 1000).toFixed(1)}s ${planned}: its start-up outlasted the alert's scaled \`for\` of ${(forMs / 1000).toFixed(1)}s, an outage longer than \`for\` at this scale`,
          roomyScale,
        },
      ];
    }
    return [];
  });
}

/** The alert series these verdicts name (their alert, and their labels where they give some). */
function tracesNamedBy(verdicts: readonly Pick<ExpectationResult, 'alert' | 'labels'>[], traces: readonly AlertTrace[]): AlertTrace[] {
  return traces.filter((t) => verdicts.some((e) => e.alert === t.alertname && labelsMatch(e.labels ?? {}, t.labels)));
}

/** `+1.2s` from the drill's start; `-0.1s` for the evaluation just before it (histories start one interval early). */
function sinceStart(ms: number, startedAtMs: number): string {
  const seconds = (ms - startedAtMs) / 1000;
  return `${seconds < -0.05 ? '-' : '+'}${Math.abs(seconds).toFixed(1)}s`;
}

/** What the machine did to a drill, one line each, and what another attempt of it should know. */
export interface Interference {
  readonly lines: readonly string[];
  readonly retry: RetryHints;
}

/** What a failed attempt tells the loop that may run it again (run-drills.ts); never part of a result. */
export interface RetryHints {
  /** A real start-up outlasted an alert's scaled `for` (`startUpPastFor`): the largest scale whose `for` holds it. */
  readonly rerunScale?: number;
  /**
   * Set when the attempt's only interference is these alerts pending before the first fault:
   * another attempt tells a busy machine from rules that fire on healthy traffic, and where the
   * run has already told, it need not ask again.
   */
  readonly pendingBeforeFaults?: readonly EarlySeries[];
}

/** A drill's interference from its parts: alerts pending before the faults, start-ups past `for`, and the lines of starved scrapes (`machineInterference`). */
export function interferenceOf(early: readonly PendingBeforeFaults[], startUps: readonly StartUpPastFor[], starved: readonly string[], startedAtMs: number): Interference {
  const others = [...startUps.map((s) => s.line), ...starved];
  return {
    lines: [...early.map((p) => pendingBeforeFaultsLine(p, startedAtMs)), ...others],
    retry: {
      ...(startUps.length > 0 ? { rerunScale: Math.min(...startUps.map((s) => s.roomyScale)) } : {}),
      ...(early.length > 0 && others.length === 0 ? { pendingBeforeFaults: early.map(({ alert, series }) => ({ alert, series })) } : {}),
    },
  };
}
