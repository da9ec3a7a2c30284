import type { TrafficSummary } from '../engine/traffic.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ValueSeries } from '../observe/rule-value-series.ts';
import type { TrafficPoint } from '../scenario/traffic-timeline.ts';
import type { Shard } from '../scenario/shard.ts';
import type { StackCost } from '../stack/pool-capacity.ts';

/** The result JSON written by `--json FILE` (see DESIGN.md); extra fields may be added, none removed. */
export interface RunResult {
  ok: boolean;
  scale: number;
  stack: string;
  engine: string;
  /** The first scenario's system's slowest scrape interval, after scaling (every system's: systemTimings). */
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  /** Per system drilled: its scale and intervals, after scaling (systems may differ in all three). */
  systemTimings?: Record<string, SystemTiming>;
  /** Wall seconds from stack start to ready: the slowest stack of the run. */
  stackReadySeconds: number;
  /** A game day (`--stack external`): on a stack firedrill did not start, in real time. */
  gameDay?: GameDaySummary;
  /** Set when Ctrl-C or SIGTERM stopped the run: the scenarios are those that finished before. */
  interrupted?: true;
  /** Why no scenario ran at all (the gate skips its alert stage when Prometheus or Alertmanager would refuse the config). */
  notRun?: string;
  /** Present when the run was one shard of several (`--shard i/n`). */
  shard?: Shard;
  /** The pool of isolated stacks the scenarios ran on. */
  pool?: PoolSummary;
  scenarios: ScenarioResult[];
}

export interface SystemTiming {
  scale: number;
  /** The slowest of the system's scrape intervals, wall seconds after scaling. */
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
}

export interface GameDaySummary {
  /** Whether firedrill silenced the drills' alerts (`--silence`): routed, not delivered. */
  silenced: boolean;
  /** The revert journal of the run; removed once everything in it was reverted. */
  journal: string;
  /** Actions the journal still holds (something could not be reverted): run `firedrill revert`. */
  journalLeft?: number;
  /** Where the verdicts' data came from, by what they judge. */
  evidence: Record<string, string>;
}

export interface PoolSummary {
  /** The most stacks that ran at once. */
  jobs: number;
  /** Stacks started. */
  stacks: number;
  wallSeconds: number;
  /** CPU seconds of every stack process plus firedrill's own. */
  cpuSeconds: number;
  /** Per stack of each system while its drill ran; the next run sizes its pool from these. */
  measuredStackCosts: Record<string, StackCost>;
}

/** How many events one window of a judged rule held, and whether that is enough to mean something. */
export interface PowerCheck {
  alert: string;
  /** The rule's window as written (rule time). */
  window: string;
  /** Events in one window when judged; null when the rule's counters had no series. */
  events: number | null;
  floor: number;
  enough: boolean;
  /** The largest scale at which a window would hold enough at this drill's rates; null when there were no events. */
  largestScale: number | null;
  at: string;
  query: string;
}

/** `${prefix}<scale>` of a void attempt, or nothing for one from a result that did not keep it. */
export function atScale(v: VoidAttempt, prefix: string): string {
  return v.scale === undefined ? '' : `${prefix}${v.scale}`;
}

/** One line for a void attempt: when, what failed and what the machine did; `n` counts from 1. */
export function describeVoidAttempt(v: VoidAttempt, n: number): string {
  return `attempt ${n} (${v.startedAt}${atScale(v, ', scale ')}) failed ${v.failed.length} verdict(s) while ${v.machineInterference.join('; ')}: it was void and the drill ran again; first failure: ${v.failed[0] ?? '-'}`;
}

/** One line for the report: what was counted, and what to do when it is too little. */
export function describePower(p: PowerCheck, scale: number): string {
  const counted = p.events === null ? 'no series for its counters' : `${p.events} events`;
  if (p.enough) return `${p.alert}: a ${p.window} window held ${counted} at scale ${scale} (floor ${p.floor})`;
  const fix = p.largestScale === null ? 'make the drill produce some' : `run at --scale ${p.largestScale} or less, or drive more of them`;
  return `${p.alert}: a ${p.window} window held ${counted} at scale ${scale}, fewer than ${p.floor}: the verdict rests on too little; ${fix}`;
}

/** What a result judges: an expectation of the scenario, or `unexpected` (an alert no expectation names fired). */
export type ExpectationKind = 'fires' | 'doesNotFire' | 'inhibitedBy' | 'notifies' | 'resolves' | 'mayFire' | 'unexpected';

export interface ExpectationResult {
  description: string;
  ok: boolean;
  detail: string;
  /** Which expectation this is; absent for traffic thresholds. */
  kind?: ExpectationKind;
  alert?: string;
  labels?: Record<string, string>;
  /** On a failed verdict about an alert: what its expression evaluated to over the drill. */
  series?: ValueSeries;
  /** `toFire`: the labels of the series the verdict judged (the first firing the drill caused), which tells the rule of a tier apart for coverage. */
  judgedLabels?: Record<string, string>;
  /** On a game day: the data the verdict rests on (Prometheus' alerts, Alertmanager's routing and counters). */
  evidence?: string;
}

export interface ScenarioResult {
  name: string;
  /** The system the scenario drills. */
  system?: string;
  ok: boolean;
  /** The scale of the scenario's system (systems may compile to different scales). */
  scale?: number;
  /** Wall seconds from the start of the scenario's own stack to ready. */
  stackReadySeconds?: number;
  /** Wall seconds of healthy traffic run before the scenario's own timeline (its longest judged window). */
  historySeconds: number;
  startedAt: string;
  endedAt: string;
  traffic: TrafficSummary;
  /** Requests sent and failed per wall second while traffic ran (history and timeline). */
  trafficTimeline?: TrafficPoint[];
  /** When each fault call was issued; for kill and restart also how long the service was really down (wall seconds). */
  faults: { target: string; kind: string; injectedAt: string; revertedAt: string | null; downSeconds?: number }[];
  alerts: AlertTrace[];
  expectations: ExpectationResult[];
  /** Per judged rule, the events one window held; a window with too few makes the verdict mean little. */
  power: PowerCheck[];
  /** Game days: why the drill was stopped before its end (an abort guard tripped); every fault was reverted. */
  aborted?: { guard: string; detail: string; at: string };
  /** Game days: notifications Alertmanager counted per integration during the drill. */
  delivery?: Record<string, { sent: number; failed: number }>;
  /** Game days on an Alertmanager whose counters carry `receiver_name`: the same, per receiver. */
  deliveryByReceiver?: Record<string, { sent: number; failed: number }>;
  /** Game days with a webhook copy: the posts it received (Alertmanager counts them as webhook notifications). */
  webhookCopies?: number;
  /** For every alert the expectations judge: what its expression evaluated to over the drill, beside its threshold. */
  ruleValues?: RuleValues[];
  /**
   * What this machine, not the rules, may have done to the drill: alerts a failed verdict names
   * that went pending before the first fault, a real start-up that outlasted an alert's scaled
   * `for`, and scrapes starved of CPU (timed out with no fault in effect). One line each.
   */
  machineInterference?: string[];
  /**
   * Why a drill that failed with machine interference ran only once: its only interference was
   * alerts pending before the faults, and both attempts of another drill of its system had shown
   * the same series early, so the run takes their rules to fire on healthy traffic.
   */
  notRunAgain?: string;
  /** Earlier attempts of this drill that failed with machine interference, so were run again; the verdicts above are the last attempt's. */
  voidAttempts?: VoidAttempt[];
}

export interface VoidAttempt {
  startedAt: string;
  endedAt: string;
  /** The scale it ran at (absent in results written before it was kept); the scenario's `scale` is the last attempt's, lower when a start-up outlasted an alert's scaled `for`. */
  scale?: number;
  /** The verdicts that failed in it. */
  failed: string[];
  machineInterference: string[];
}

export interface RuleValues extends ValueSeries {
  alert: string;
}

/** Every expectation that did not hold, with the scenario it belongs to, in run order. */
export function failedExpectations(run: Pick<RunResult, 'scenarios'>): (ExpectationResult & { scenario: string })[] {
  return run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => ({ ...e, scenario: s.name })));
}
