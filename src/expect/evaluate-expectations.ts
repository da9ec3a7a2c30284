import type { CompiledSystem } from '../compile/compile-system.ts';
import { fixedLabels, ruleOrFirst, rulesOfSelector } from '../compile/rule-of-series.ts';
import { faultTargetsWatchedBy } from '../compile/watched-targets.ts';
import { inhibits } from '../gate/inhibit-link.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import type { FaultRecord } from '../faults/fault-controller.ts';
import { causingFault } from '../faults/causing-fault.ts';
import { describeFault } from '../faults/fault-spec.ts';
import { inFlightDelayMs } from '../faults/in-flight-delay.ts';
import { labelsMatch } from '../labels-match.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { traceName } from '../report/trace-name.ts';
import { causedEpisodes, comebacks, type CausedEpisode } from './causation.ts';
import { declaredBound, detectionBound, type DetectionBound } from './detection-bound.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { plannedDownMs, recoveryNote } from './recovery-note.ts';
import { describeExpectation, selectorName, type Expectation } from './expectation.ts';
import { unexpectedAlerts } from './unexpected-alerts.ts';
import { listText } from './list-text.ts';
import { firedTogether, firesWithinFor, inhibitedBy, missedAtFiring, neverFires, notifiesReceiver, secondsText, type Verdict } from './verdicts.ts';

export interface EvaluationInputs {
  readonly expectations: readonly Expectation[];
  readonly traces: readonly AlertTrace[];
  readonly faults: readonly FaultRecord[];
  readonly compiled: CompiledSystem;
  /** When the drill ended: a fault never reverted held until then. */
  readonly endedAtMs: number;
  /** Set when Alertmanager could not be observed for part of the drill: what depends on it has no data. */
  readonly alertmanagerGap?: string;
}

/** Judges every expectation against the traces, then looks for alerts nobody expected; collects all failures. */
export function evaluateExpectations(inputs: EvaluationInputs): ExpectationResult[] {
  const judged = inputs.expectations.map((e): ExpectationResult => {
    const verdict = judge(e, inputs);
    return {
      description: describeExpectation(e),
      ok: verdict.ok,
      detail: verdict.detail,
      kind: e.kind,
      alert: e.alert,
      ...(e.labels ? { labels: { ...e.labels } } : {}),
      ...(verdict.judgedLabels ? { judgedLabels: { ...verdict.judgedLabels } } : {}),
    };
  });
  const clockBound = inputs.compiled.scale > 1 ? [...new Set(inputs.compiled.alerts.filter((a) => a.clockReads.length > 0).map((a) => a.alertname))] : [];
  return [...judged, ...unexpectedAlerts(inputs.expectations, inputs.traces, clockBound)];
}

/** The trace an expectation is about: labels must match; among several, the first that fired. */
export function traceFor(traces: readonly AlertTrace[], alert: string, labels: Readonly<Record<string, string>> = {}): AlertTrace | undefined {
  const candidates = traces.filter((t) => t.alertname === alert && labelsMatch(labels, t.labels));
  const fired = candidates.filter((t) => t.firingAt !== null).sort((a, b) => Date.parse(a.firingAt!) - Date.parse(b.firingAt!));
  return fired[0] ?? candidates[0];
}

function judge(e: Expectation, inputs: EvaluationInputs): Verdict {
  const candidates = inputs.traces.filter((t) => t.alertname === e.alert && labelsMatch(e.labels ?? {}, t.labels));
  const trace = traceFor(inputs.traces, e.alert, e.labels);
  // A label selector that matches none of the alert's series: say that, not that the alert did nothing.
  const series = inputs.traces.filter((t) => t.alertname === e.alert);
  // Unless a tier's rule sets every one of those labels: then they are right, and that tier did not fire.
  const namesTier = e.labels !== undefined && rulesOfSelector(inputs.compiled.alerts, e.alert, e.labels).some((rule) => Object.keys(e.labels!).every((key) => fixedLabels(rule)[key] !== undefined));
  if (e.labels && !namesTier && candidates.length === 0 && series.length > 0 && e.kind !== 'doesNotFire' && e.kind !== 'mayFire') {
    const labelSets = series.map((t) => `{${Object.entries(t.labels).filter(([k]) => k !== 'alertname').map(([k, v]) => `${k}="${v}"`).join(',')}}`);
    return { ok: false, detail: `no series of ${e.alert} has the labels ${selectorName(e)} asks for; its series were ${[...new Set(labelSets)].join(', ')}: check the label names and values` };
  }
  switch (e.kind) {
    case 'fires':
      return judgeFires(e, candidates, inputs);
    case 'resolves':
      return judgeResolves(e, candidates, inputs);
    case 'doesNotFire': {
      if (candidates.length === 0) return { ok: true, detail: `${selectorName(e)} was never active` };
      const verdicts = candidates.map((t) => neverFires(t, traceName(t, inputs.traces)));
      const ok = verdicts.every((v) => v.ok);
      // A late start-up explains a firing only where the plan kept the target down for less than the
      // alert's `for`: a rule with no `for` (or one the plan outlasts) fires on the planned outage alone.
      const forMs = Math.max(0, ...candidates.map((t) => ruleOrFirst(inputs.compiled.alerts, t.alertname, t.labels)?.scaledForMs ?? 0));
      const withinFor = inputs.faults.filter((f) => (plannedDownMs(f) ?? Infinity) < forMs);
      const why = ok ? '' : recoveryNote(withinFor, inputs.compiled.scale, 'this scale cannot show an outage shorter than that start-up (a lower --scale can)');
      return { ok, detail: `${verdicts.map((v) => v.detail).join('; ')}${why}` };
    }
    case 'mayFire':
      return { ok: true, detail: trace && trace.firingAt !== null ? `${traceName(trace, inputs.traces)} fired at ${trace.firingAt}; allowed` : `${selectorName(e)} did not fire; allowed either way` };
    case 'inhibitedBy': {
      if (inputs.alertmanagerGap) return { ok: false, detail: `no data: ${inputs.alertmanagerGap}` };
      const source = traceFor(inputs.traces, e.source);
      if (!trace) return { ok: false, detail: `${selectorName(e)} was never active, so nothing was inhibited` };
      if (!source) return { ok: false, detail: `${e.source} was never active, so nothing could inhibit ${selectorName(e)}` };
      // Every series that fired while a series of the source fired that an inhibit rule pairs it
      // with (its `equal` labels the same) must have been held back: one that paged is a leak,
      // whichever fired first. A series no rule pairs with a firing source may page. Without any
      // pair, the first series says why.
      const sources = inputs.traces.filter((t) => t.alertname === e.source);
      const together = candidates.flatMap((t) => {
        const partner = sources.find((s) => firedTogether(t, s) && inhibits(inputs.compiled.alertmanager.doc, s.labels, t.labels));
        return partner ? [inhibitedBy(t, partner)] : [];
      });
      return together.length > 0 ? everySeries(together) : inhibitedBy(trace, source);
    }
    case 'notifies': {
      if (!trace) return { ok: false, detail: `${selectorName(e)} was never active; expected it to reach ${typeof e.receiver === 'string' ? e.receiver : listText(e.receiver)}` };
      // Every series that fired goes by the route: one sent elsewhere is a misroute, whichever fired
      // first. Not one Alertmanager held back (inhibited) that reached no receiver: it was not to.
      const paging = candidates.filter((t) => t.episodes.some((ep) => ep.firingAt !== null) && (t.inhibitedBy.length === 0 || t.notifications.some((n) => n.status === 'firing')));
      const judged = paging.length > 0 ? paging : [trace];
      const routed = everySeries(judged.map((t) => notifiesReceiver(t, e.receiver, traceName(t, inputs.traces))));
      if (e.notifyWithin === undefined || !routed.ok) return routed;
      const receivers = typeof e.receiver === 'string' ? [e.receiver] : e.receiver;
      const timed = everySeries(receivers.map((r) => pagedInTime(e.notifyWithin!, r, judged, inputs) ?? { ok: false, detail: `${selectorName(e)} reached ${r} only for firings no fault on what it watches came before, so notifyWithin has nothing to count from` }));
      return { ok: timed.ok, detail: `${routed.detail}; ${timed.detail}` };
    }
  }
}

/** A verdict over several series: each must hold; the failures are told first. */
function everySeries(verdicts: readonly Verdict[]): Verdict {
  const failed = verdicts.filter((v) => !v.ok);
  return { ok: failed.length === 0, detail: [...failed, ...verdicts.filter((v) => v.ok)].map((v) => v.detail).join('; ') };
}

/** Faults on the parts whose effects reach what the alert watches (its rule's `job` matchers, and what those jobs depend on). */
function faultsWatchedBy(alert: string, inputs: EvaluationInputs): { faults: FaultRecord[]; targets: string[] } {
  // Every rule of the name (the tiers of one alert watch alike, or the verdict does not yet know which tier it judges).
  const rules = inputs.compiled.alerts.filter((a) => a.alertname === alert);
  const targets = rules.length > 0 ? [...new Set(rules.flatMap((rule) => faultTargetsWatchedBy(rule, inputs.compiled)))] : inputs.faults.map((f) => f.spec.target);
  return { faults: inputs.faults.filter((f) => targets.includes(f.spec.target)), targets };
}

/**
 * Fires because of the drill: an episode that went pending after a fault on a service the alert
 * watches fired within its `for` window, and went pending within the detection bound of that fault.
 */
function judgeFires(e: Extract<Expectation, { kind: 'fires' }>, candidates: readonly AlertTrace[], inputs: EvaluationInputs): Verdict {
  // Any tier the selector may mean could have fired: only the shortest `for` among them bounds what the faults could do.
  const tiers = rulesOfSelector(inputs.compiled.alerts, e.alert, e.labels ?? {});
  const shortestForMs = Math.min(...(tiers.length > 0 ? tiers : [ruleOrFirst(inputs.compiled.alerts, e.alert, e.labels)!]).map((rule) => rule.forMs));
  const watched = faultsWatchedBy(e.alert, inputs);
  if (watched.faults.length === 0) {
    return { ok: false, detail: `${selectorName(e)}: the drill has no fault on anything it watches (${watched.targets.join(', ')}), so no firing can be its doing` };
  }
  const caused = candidates.flatMap((trace) => causedEpisodes(trace, watched.faults).map((c) => ({ trace, ...c })));
  const fired = caused.filter((c) => c.episode.firingAt !== null).sort((a, b) => Date.parse(a.episode.firingAt!) - Date.parse(b.episode.firingAt!))[0];
  const cannotFire = impossibility(shortestForMs, watched.faults, inputs);
  if (!fired) {
    const pendingOnly = caused[0];
    if (pendingOnly) return { ok: false, detail: `${firesWithinFor(pendingOnly.trace, pendingOnly.episode, traceName(pendingOnly.trace, inputs.traces)).detail}${cannotFire}` };
    const before = candidates.flatMap((t) => t.episodes.map((ep) => ({ t, ep })))[0];
    const firstFault = Math.min(...watched.faults.map((f) => f.injectedAtMs));
    if (before) {
      return { ok: false, detail: `${traceName(before.t, inputs.traces)} went pending at ${before.ep.pendingAt}, before the first fault on ${watched.targets.join(', ')} at ${new Date(firstFault).toISOString()}: that episode is not the drill's doing${cannotFire}` };
    }
    return { ok: false, detail: `${selectorName(e)} never went pending after ${watched.faults.map((f) => describeFault(f.spec)).join(', ')}${cannotFire}` };
  }
  const timing = firesWithinFor(fired.trace, fired.episode, traceName(fired.trace, inputs.traces));
  // The tier that fired: its windows bound the detection.
  const rule = ruleOrFirst(inputs.compiled.alerts, e.alert, fired.trace.labels)!;
  const bound = detectionBound(rule, inputs.compiled, e.detectWithin, delayInEffectMs(watched.faults, fired.cause, Date.parse(fired.episode.pendingAt)));
  const detectionMs = Date.parse(fired.episode.pendingAt) - fired.cause.injectedAtMs;
  const { boundMs, derivation } = withApplyTime(bound, fired.cause);
  const detected = detectionMs <= boundMs;
  // Going pending only once the fault was over points at a condition that sees the repair, not the fault.
  const revertedMs = fired.cause.revertedAtMs;
  const afterRevert = revertedMs !== null && Date.parse(fired.episode.pendingAt) > revertedMs ? ` (${secondsText(Date.parse(fired.episode.pendingAt) - revertedMs)} after it was reverted: does the rule see the repair rather than the fault?)` : '';
  const deadline = e.fireWithin === undefined ? undefined : firingDeadline(e.fireWithin, fired, rule, watched.faults, inputs);
  const earliest = e.fireAfter === undefined ? undefined : firingNotBefore(e.fireAfter, fired, inputs.compiled.scale);
  const deadlines = [earliest, deadline].filter((v): v is Verdict => v !== undefined);
  return {
    ok: timing.ok && detected && deadlines.every((v) => v.ok),
    judgedLabels: fired.trace.labels,
    detail: `${timing.detail}; went pending ${secondsText(detectionMs)} after ${describeFault(fired.cause.spec)}${afterRevert}, bound ${derivation}${deadlines.map((v) => `; ${v.detail}`).join('')}`,
  };
}

/** An episode that fired, the fault that caused it, and its series. */
type FiredEpisode = CausedEpisode & { readonly trace: AlertTrace };

/**
 * `fireAfter`: from the fault to firing, no sooner than the scenario says. A healthy rule holds it
 * exactly whenever fireAfter is at most its `for`: its episode went pending no sooner than the fault
 * was issued, and fired no sooner than its scaled `for` after that (Prometheus' own timestamps, to
 * the millisecond). A `for` cut below fireAfter is settled from the rules before the drill
 * (validate-scenario.ts); this judges what the drill did, so an episode that fired too soon by any
 * other route (a rule that went pending before its fault could show) fails too.
 * Evaluations a starved Prometheus skipped when the alert was due are taken off, as `firesWithinFor`
 * does, so a missed evaluation cannot carry a too-early firing past the line.
 */
function firingNotBefore(fireAfter: string, fired: FiredEpisode, scale: number): Verdict {
  // Rounded as the compiler rounds a scaled `for`; a millisecond of slack for the timestamps' own rounding.
  const fireAfterMs = parseDurationMs(fireAfter, 'fireAfter');
  const earliestMs = Math.round(fireAfterMs / scale);
  const { lateMs, notCounting } = missedAtFiring(fired.trace, fired.episode);
  const tookMs = Date.parse(fired.episode.firingAt!) - fired.cause.injectedAtMs - lateMs;
  const ok = tookMs >= earliestMs - 1;
  const forMs = fired.trace.forSeconds * 1000;
  const why = ok
    ? ''
    : forMs < fireAfterMs
      ? `: too soon; its for is ${formatDurationMs(forMs)}, shorter than the fireAfter the scenario holds it to (a for shortened or removed pages on a blip)`
      : `: too soon, sooner than its own for of ${formatDurationMs(forMs)} allows (see its for window above)`;
  return { ok, detail: `fired ${secondsText(tookMs)} after ${describeFault(fired.cause.spec)}${notCounting}, no sooner than ${(earliestMs / 1000).toFixed(3)}s allowed (fireAfter ${fireAfter} of rule time)${why}` };
}

/**
 * A deadline the scenario counts from the fault that caused a firing (`fireWithin`,
 * `notifyWithin`): the declared rule time, scaled; real-time delay on top, as for detection, but no
 * more of it than passed before the alert went pending (at scale 40 an 11 s delay would otherwise
 * excuse 7m20s of rule time after it); and the fault's apply time (withApplyTime).
 */
function deadlineFromFault(field: string, ruleTime: string, fired: FiredEpisode, watched: readonly FaultRecord[], inputs: EvaluationInputs): { boundMs: number; derivation: string } {
  const rule = ruleOrFirst(inputs.compiled.alerts, fired.trace.alertname, fired.trace.labels)!;
  const injectedMs = delayInEffectMs(watched, fired.cause, Date.parse(fired.episode.firingAt!));
  const bound = declaredBound(field, ruleTime, rule, inputs.compiled, injectedMs, Math.max(0, Date.parse(fired.episode.pendingAt) - fired.cause.injectedAtMs));
  return withApplyTime(bound, fired.cause);
}

/**
 * A bound counted from when the fault was issued, in wall milliseconds, with its derivation: the
 * fault acted by the time its call returned, so the time the call took is on top.
 */
function withApplyTime(bound: DetectionBound, cause: FaultRecord): { boundMs: number; derivation: string } {
  const applyMs = cause.applyMs ?? 0;
  const applying = applyMs > 0 ? ` + ${formatDurationMs(applyMs)} the fault took to apply` : '';
  const boundMs = bound.seconds * 1000 + applyMs;
  return { boundMs, derivation: `${(boundMs / 1000).toFixed(3)}s (${bound.derivation}${applying})` };
}

/**
 * `fireWithin`: from the fault to firing, what a pager waits, against the scenario's deadline
 * (deadlineFromFault). Evaluations a starved Prometheus skipped when the alert was due are not the
 * rule's, so they are taken off, as `firesWithinFor` does.
 */
function firingDeadline(fireWithin: string, fired: FiredEpisode, rule: CompiledRule, watched: readonly FaultRecord[], inputs: EvaluationInputs): Verdict {
  const { boundMs, derivation } = deadlineFromFault('fireWithin', fireWithin, fired, watched, inputs);
  const { lateMs, notCounting } = missedAtFiring(fired.trace, fired.episode);
  const tookMs = Date.parse(fired.episode.firingAt!) - fired.cause.injectedAtMs - lateMs;
  const ok = tookMs <= boundMs;
  const why = ok ? '' : `: too late; a longer for, an offset or a wider window than the deadline allows (its for is ${formatDurationMs(rule.forMs)}, longest range ${formatDurationMs(rule.longestRangeMs)})`;
  return { ok, detail: `fired ${secondsText(tookMs)} after ${describeFault(fired.cause.spec)}${notCounting}, deadline ${derivation}${why}` };
}

/**
 * `notifyWithin`: from a fault to the first page it caused at `receiver`, what a pager waits with
 * routing included (group_wait, group_interval), against the scenario's deadline (deadlineFromFault).
 * Each page is counted from the fault that caused the episode it belongs to (the last episode that
 * fired at or before it), and the pager is reached by the first page of any series: a second series
 * batched into a group that has paged already waits its group_interval, and pages no one later than
 * the first. Evaluations a starved Prometheus missed when the alert was due are taken off. Undefined
 * when no page follows a firing a watched fault caused. (A game day refuses notifyWithin: game-day-checks.ts.)
 */
function pagedInTime(notifyWithin: string, receiver: string, series: readonly AlertTrace[], inputs: EvaluationInputs): Verdict | undefined {
  const pages = series.flatMap((trace) => {
    const watched = faultsWatchedBy(trace.alertname, inputs).faults;
    const fired = causedEpisodes(trace, watched).filter((c) => c.episode.firingAt !== null);
    const pagesAtMs = trace.notifications.filter((n) => n.status === 'firing' && n.receiver === receiver).map((n) => Date.parse(n.at));
    const firingAt = (i: number) => (i < fired.length ? Date.parse(fired[i]!.episode.firingAt!) : Infinity);
    // An episode that resolved before Alertmanager's group_wait ran out paged no one: the next page is the next episode's.
    const paged = fired.map((c, i) => ({ ...c, trace, watched, pageAtMs: pagesAtMs.find((at) => at >= firingAt(i) && at < firingAt(i + 1)) })).find((p) => p.pageAtMs !== undefined);
    if (!paged) return [];
    const { lateMs, notCounting } = missedAtFiring(trace, paged.episode);
    return [{ ...paged, pageAtMs: paged.pageAtMs!, lateMs, notCounting, tookMs: paged.pageAtMs! - paged.cause.injectedAtMs - lateMs }];
  });
  if (pages.length === 0) return undefined;
  const first = pages.reduce((a, b) => (b.tookMs < a.tookMs ? b : a));
  const { boundMs, derivation } = deadlineFromFault('notifyWithin', notifyWithin, first, first.watched, inputs);
  const firingAtMs = Date.parse(first.episode.firingAt!);
  const ok = first.tookMs <= boundMs;
  const why = ok
    ? ''
    : `: too late; it fired ${secondsText(firingAtMs - first.cause.injectedAtMs - first.lateMs)} after the fault, and Alertmanager sent it ${secondsText(first.pageAtMs - firingAtMs)} after that (its route's group_wait, or group_interval when its group had paged already; or an inhibition that held it meanwhile)`;
  return { ok, detail: `${traceName(first.trace, inputs.traces)} reached ${receiver} ${secondsText(first.tookMs)} after ${describeFault(first.cause.spec)}${first.notCounting}, deadline ${derivation}${why}` };
}

/**
 * The real time requests were held in flight on what the alert watches while its fault was being
 * detected: the longest delay of the watched faults in effect from its cause's injection until it
 * went pending. A delay elsewhere in the system, or one reverted before, gives the alert no longer.
 */
function delayInEffectMs(watched: readonly FaultRecord[], cause: FaultRecord, pendingAtMs: number): number {
  const inEffect = watched.filter((f) => f.injectedAtMs <= pendingAtMs && (f.revertedAtMs ?? Infinity) >= cause.injectedAtMs);
  return Math.max(0, ...inEffect.map((f) => inFlightDelayMs(f.spec, f.driver === 'dependency-proxy')));
}

/** Why no fault of the drill could make the alert fire: every one ends before `for` could elapse. */
function impossibility(forMs: number, faults: readonly FaultRecord[], inputs: EvaluationInputs): string {
  const heldMs = Math.max(...faults.map((f) => ((f.revertedAtMs ?? inputs.endedAtMs) - f.injectedAtMs) * inputs.compiled.scale));
  // Measured wall time times the scale: milliseconds past the second are noise beside a `for`, so
  // whole seconds, rounded up (a bound stays true), or "just under" when that would reach the `for`.
  const upMs = heldMs < 1000 ? heldMs : Math.ceil(heldMs / 1000) * 1000;
  const held = upMs < forMs ? `at most ${formatDurationMs(upMs)}` : `just under ${formatDurationMs(forMs)}`;
  return heldMs < forMs ? `; it cannot fire in this drill: its faults hold ${held} of rule time, its for is ${formatDurationMs(forMs)}` : '';
}

/**
 * Resolves after its fault: inactive at the end, its last episode resolved after the revert of
 * the fault that caused it, and no episode began after a revert without a new fault (flapping).
 */
function judgeResolves(e: Extract<Expectation, { kind: 'resolves' }>, candidates: readonly AlertTrace[], inputs: EvaluationInputs): Verdict {
  const watched = faultsWatchedBy(e.alert, inputs);
  const withCaused = candidates.map((trace) => ({ trace, caused: causedEpisodes(trace, watched.faults) }));
  // Every series the drill made fire must resolve: one that still pages is not made good by another that stopped.
  const subjects = withCaused.filter((c) => c.caused.some((x) => x.episode.firingAt !== null));
  if (subjects.length === 0) return { ok: false, detail: `${selectorName(e)} never fired after a fault on ${watched.targets.join(', ')}, so it cannot resolve` };
  return everySeries(subjects.map(({ trace, caused }) => resolvesAfterItsFault(trace, caused, watched.faults, inputs, e.resolveWithin)));
}

/** One series' part of `resolves` (judgeResolves). */
function resolvesAfterItsFault(trace: AlertTrace, caused: ReturnType<typeof causedEpisodes>, faults: readonly FaultRecord[], inputs: EvaluationInputs, resolveWithin: string | undefined): Verdict {
  const name = traceName(trace, inputs.traces);
  const flapped = comebacks(caused, true);
  if (flapped.length > 0) {
    const f = flapped[0]!;
    return { ok: false, detail: `${name} went pending again at ${f.episode.pendingAt} and fired at ${f.episode.firingAt}, after ${describeFault(f.cause.spec)} was reverted at ${new Date(f.cause.revertedAtMs!).toISOString()}, with no new fault: it flaps` };
  }
  const end = trace.episodes.at(-1)!;
  const reverted = (at: string) => causingFault(faults, Date.parse(at))?.revertedAtMs ?? null;
  if (end.resolvedAt === null) {
    const revertedAt = reverted(end.pendingAt);
    return { ok: false, detail: `${name} still ${end.firingAt === null ? 'pending' : 'firing'} at the end${revertedAt !== null ? ` (its fault was reverted at ${new Date(revertedAt).toISOString()})` : ''}` };
  }
  // An episode that never fired and ended while its fault was still in effect: the rule stopped
  // seeing a fault that was still there (as before, when the last episode alone was judged).
  const endCause = causingFault(faults, Date.parse(end.pendingAt));
  if (end.firingAt === null && endCause?.revertedAtMs != null && Date.parse(end.resolvedAt) < endCause.revertedAtMs) {
    return { ok: false, detail: `${name} went pending at ${end.pendingAt} and resolved at ${end.resolvedAt} without firing, before ${describeFault(endCause.spec)} was reverted at ${new Date(endCause.revertedAtMs).toISOString()}` };
  }
  // What resolved the page is the last episode that fired; one that stayed pending after it paged no one.
  const last = trace.episodes.findLast((e) => e.firingAt !== null)!;
  const cause = causingFault(faults, Date.parse(last.pendingAt));
  if (!cause || cause.revertedAtMs === null) return { ok: false, detail: `${name} resolved at ${last.resolvedAt}, but its fault was never reverted` };
  const afterMs = Date.parse(last.resolvedAt!) - cause.revertedAtMs;
  if (afterMs < 0) return { ok: false, detail: `${name} resolved at ${last.resolvedAt}, before ${describeFault(cause.spec)} was reverted at ${new Date(cause.revertedAtMs).toISOString()}` };
  const flickers = comebacks(caused, false).map(({ episode }) => `${episode.pendingAt} to ${episode.resolvedAt}`);
  const flickered = flickers.length === 0 ? '' : `; pending again, never firing, ${flickers.join(', ')}: a flicker at the threshold that its for kept from paging`;
  const resolved = `${name} resolved at ${last.resolvedAt}, ${secondsText(afterMs)} after ${describeFault(cause.spec)} was reverted`;
  if (resolveWithin === undefined) return { ok: true, detail: `${resolved}${flickered}` };
  // The deadline runs from the last repair on what it watches: another fault that outlasted its
  // cause kept it firing rightly (both reverted before it resolved).
  const resolvedMs = Date.parse(last.resolvedAt!);
  const repair = faults
    .filter((f) => f.revertedAtMs !== null && f.injectedAtMs <= resolvedMs && f.revertedAtMs >= cause.revertedAtMs! && f.revertedAtMs <= resolvedMs)
    .reduce((latest, f) => (f.revertedAtMs! > latest.revertedAtMs! ? f : latest), cause);
  const sinceRepairMs = resolvedMs - repair.revertedAtMs!;
  const lastRepair = repair === cause ? '' : `, and ${secondsText(sinceRepairMs)} after the last repair (${describeFault(repair.spec)})`;
  // Real time at any scale, after the revert: requests the fault slowed are still being answered,
  // and a killed process is still starting (from the revert to its first answer).
  const rule = ruleOrFirst(inputs.compiled.alerts, trace.alertname, trace.labels)!;
  const bound = declaredBound('resolveWithin', resolveWithin, rule, inputs.compiled, inFlightDelayMs(repair.spec, repair.driver === 'dependency-proxy'));
  const startMs = repair.downMs === undefined ? 0 : Math.max(0, repair.injectedAtMs + repair.downMs - repair.revertedAtMs!);
  const boundMs = bound.seconds * 1000 + startMs;
  const starting = startMs > 0 ? ` + ${formatDurationMs(startMs)} for ${repair.spec.target} to answer again` : '';
  const ok = sinceRepairMs <= boundMs;
  const why = ok ? '' : `: too late; a keep_firing_for or a window longer than the deadline allows (its keep_firing_for is ${formatDurationMs(rule.keepFiringForMs)}, longest range ${formatDurationMs(rule.longestRangeMs)})`;
  return { ok, detail: `${resolved}${lastRepair}, deadline ${(boundMs / 1000).toFixed(3)}s (${bound.derivation}${starting})${why}${flickered}` };
}
