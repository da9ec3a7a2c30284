import { listText } from './list-text.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import { missedMs } from '../report/timing-error.ts';
import { traceName } from '../report/trace-name.ts';

/** Allowed lateness on top of one evaluation interval: timestamps are exact, this covers rounding to ms. */
export const FIRING_TOLERANCE_SECONDS = 0.25;

export interface Verdict {
  readonly ok: boolean;
  readonly detail: string;
  /** The labels of the series the verdict rests on, when it rests on one (`toFire`: the first firing the drill caused). */
  readonly judgedLabels?: Readonly<Record<string, string>>;
}

export type Episode = AlertTrace['episodes'][number];

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
export const secondsText = (millis: number) => `${(millis / 1000).toFixed(3)}s`;

/** The first episode that reached firing, else the first; what a trace's top-level times show. */
export function mainEpisode(trace: AlertTrace): Episode | undefined {
  return trace.episodes.find((e) => e.firingAt !== null) ?? trace.episodes[0];
}

/** Firing came no earlier than `for` after pending and no later than `for` + one evaluation interval + tolerance. */
export function firesWithinFor(trace: AlertTrace, episode: Episode | undefined = mainEpisode(trace), name = traceName(trace)): Verdict {
  const pending = ms(episode?.pendingAt ?? null);
  const firing = ms(episode?.firingAt ?? null);
  const lo = trace.scaledForSeconds * 1000;
  const hi = lo + (trace.evaluationIntervalSeconds + FIRING_TOLERANCE_SECONDS) * 1000;
  const window = `for is ${trace.forSeconds}s (scaled ${trace.scaledForSeconds}s), allowed ${secondsText(lo)}..${secondsText(hi)} after pending`;
  if (pending === null) return { ok: false, detail: `${name} never went pending; ${window}` };
  if (firing === null) return { ok: false, detail: `${name} pending at ${episode!.pendingAt} but never fired; ${window}; hold the fault longer or check the expression` };
  const took = firing - pending;
  const { missed, lateMs: late, evaluations } = missedAtFiring(trace, episode!);
  const skipped = missed > 0 ? `, of which ${secondsText(late)} are ${evaluations} Prometheus missed when it was due (machine busy)` : '';
  return { ok: took - late >= lo && took - late <= hi, detail: `${name} fired ${secondsText(took)} after pending${skipped}; ${window}` };
}

/**
 * Evaluations Prometheus skipped when the alert was due (a starved machine): they delay firing by
 * whole intervals that are not the rule's (it fired at the first evaluation made after its `for`),
 * so every timing of the firing takes `lateMs` off. `evaluations` names them: "2 evaluations".
 */
export function missedAtFiring(trace: AlertTrace, episode: Episode): { missed: number; lateMs: number; evaluations: string; notCounting: string } {
  const missed = episode.missedEvaluationsAtFiring ?? 0;
  const lateMs = missedMs({ evaluationIntervalSeconds: trace.evaluationIntervalSeconds, missedEvaluationsAtFiring: missed });
  const evaluations = `${missed} evaluation${missed === 1 ? '' : 's'}`;
  // What a time counted from the fault says of them: " (not counting 2 evaluations ...)", or nothing.
  return { missed, lateMs, evaluations, notCounting: missed > 0 ? ` (not counting ${evaluations} Prometheus missed when it was due)` : '' };
}

export function neverFires(trace: AlertTrace, name = traceName(trace)): Verdict {
  const fired = trace.episodes.filter((e) => e.firingAt !== null);
  const nearMisses = trace.episodes.filter((e) => e.firingAt === null).map((e) => e.pendingAt);
  return fired.length === 0
    ? { ok: true, detail: `${name} did not fire${nearMisses.length ? ` (pending only, at ${nearMisses.join(', ')})` : ''}` }
    : { ok: false, detail: `${name} fired at ${fired.map((e) => e.firingAt).join(', ')}` };
}

/** The spans in which both alerts were firing, as [from, to] epoch ms; `b`'s spans start `bLateMs` later. */
function firingOverlaps(a: AlertTrace, b: AlertTrace, bLateMs = 0): [number, number][] {
  const spans = (t: AlertTrace, lateMs: number) => t.episodes.flatMap((e) => (e.firingAt === null ? [] : [[ms(e.firingAt)! + lateMs, ms(e.resolvedAt) ?? Infinity] as [number, number]]));
  return spans(a, 0).flatMap(([a0, a1]) => spans(b, bLateMs).flatMap(([b0, b1]) => (Math.max(a0, b0) < Math.min(a1, b1) ? [[Math.max(a0, b0), Math.min(a1, b1)] as [number, number]] : [])));
}

/** Whether the two alerts were ever firing at the same time. */
export function firedTogether(a: AlertTrace, b: AlertTrace): boolean {
  return firingOverlaps(a, b).length > 0;
}

/**
 * Firing notifications of `target` sent while both fired, once the source could have reached
 * Alertmanager: Prometheus sends an alert at the evaluation that fires it, so within one evaluation
 * interval. Alertmanager inhibits from then on, whether or not the source's own page has gone out
 * (its group_wait): a target page after that is a page the inhibition should have stopped.
 */
function noticesWhileBothFired(target: AlertTrace, source: AlertTrace): AlertTrace['notifications'] {
  const overlaps = firingOverlaps(target, source, source.evaluationIntervalSeconds * 1000);
  return target.notifications.filter((n) => {
    const at = ms(n.at)!;
    return n.status === 'firing' && overlaps.some(([from, to]) => at >= from && at <= to);
  });
}

/**
 * The target was suppressed by the source in Alertmanager, both were firing at the same time,
 * and no firing notification of the target reached any receiver while the source fired.
 */
export function inhibitedBy(target: AlertTrace, source: AlertTrace): Verdict {
  const problems: string[] = [];
  if (!target.inhibitedBy.includes(source.alertname)) {
    problems.push(`Alertmanager never showed it suppressed by ${source.alertname} (inhibitedBy: [${target.inhibitedBy.join(', ')}])`);
  }
  if (!source.episodes.some((e) => e.firingAt !== null)) problems.push(`${source.alertname} never fired, so nothing could inhibit`);
  else if (firingOverlaps(target, source).length === 0) problems.push(`it was not firing while ${source.alertname} fired, so the check proves nothing`);
  if (!source.notifications.some((n) => n.status === 'firing')) problems.push(`${source.alertname} sent no notification`);
  const leaked = noticesWhileBothFired(target, source);
  if (leaked.length > 0) problems.push(`notified while ${source.alertname} fired: ${leaked.map((n) => `${n.receiver} at ${n.at}`).join(', ')}`);
  return problems.length === 0
    ? { ok: true, detail: `${traceName(target)} suppressed by ${source.alertname} from ${target.suppressedFrom} to ${target.suppressedUntil}; no notification while it fired` }
    : { ok: false, detail: `${traceName(target)}: ${problems.join('; ')}` };
}

/**
 * The negative control of an inhibition: both fired at the same time, Alertmanager did not
 * suppress the target, and the target reached a receiver while the source fired.
 */
export function notInhibitedBy(target: AlertTrace, source: AlertTrace): Verdict {
  const problems: string[] = [];
  if (!source.episodes.some((e) => e.firingAt !== null)) problems.push(`${source.alertname} never fired, so the control proves nothing`);
  else if (firingOverlaps(target, source).length === 0) problems.push(`it was not firing while ${source.alertname} fired, so the control proves nothing`);
  if (target.inhibitedBy.includes(source.alertname)) problems.push(`Alertmanager suppressed it by ${source.alertname} from ${target.suppressedFrom} to ${target.suppressedUntil}`);
  const notices = noticesWhileBothFired(target, source);
  if (problems.length === 0 && notices.length === 0) problems.push(`no receiver heard of it while ${source.alertname} fired`);
  return problems.length === 0
    ? { ok: true, detail: `${traceName(target)} reached ${[...new Set(notices.map((n) => n.receiver))].join(', ')} while ${source.alertname} fired, unsuppressed` }
    : { ok: false, detail: `${traceName(target)}: ${problems.join('; ')}` };
}

/**
 * Every firing notification went to one of `receivers` (one, or several for a route that fans out
 * with `continue: true`), and each of them got at least one.
 */
export function notifiesReceiver(trace: AlertTrace, receivers: string | readonly string[], name = traceName(trace)): Verdict {
  const expected = typeof receivers === 'string' ? [receivers] : [...receivers];
  const wanted = listText(expected);
  const firing = trace.notifications.filter((n) => n.status === 'firing');
  const elsewhere = firing.filter((n) => !expected.includes(n.receiver));
  if (firing.length === 0) return { ok: false, detail: `${name} reached no receiver${whyNoReceiver(trace)}; expected ${wanted}` };
  if (elsewhere.length > 0) {
    return { ok: false, detail: `${name} reached ${[...new Set(elsewhere.map((n) => n.receiver))].join(', ')}; expected only ${wanted}` };
  }
  const missed = expected.filter((r) => !firing.some((n) => n.receiver === r));
  if (missed.length > 0) return { ok: false, detail: `${name} reached ${[...new Set(firing.map((n) => n.receiver))].join(', ')} but not ${listText(missed)}; expected ${wanted}` };
  return { ok: true, detail: expected.map((r) => `${name} reached ${r} at ${firing.find((n) => n.receiver === r)!.at}`).join('; ') };
}

/** Where an alert that no receiver heard of stopped on its way: in Prometheus, before Alertmanager, or in its routes. */
function whyNoReceiver(trace: AlertTrace): string {
  const firedAt = trace.episodes.find((e) => e.firingAt !== null)?.firingAt ?? trace.firingAt;
  if (firedAt === null) return ': it never fired in Prometheus';
  if (trace.inhibitedBy.length > 0) return ` (it fired at ${firedAt}; Alertmanager suppressed it by ${listText(trace.inhibitedBy)} from ${trace.suppressedFrom} to ${trace.suppressedUntil})`;
  if (trace.reachedAlertmanagerAt === null) {
    return ` (it fired at ${firedAt} but Alertmanager never listed it: check prometheus.yml's alerting section and its alert_relabel_configs)`;
  }
  if (trace.reachedAlertmanagerAt !== undefined) {
    return ` (it fired at ${firedAt} and Alertmanager had it from ${trace.reachedAlertmanagerAt}, but sent it nowhere by the end: check its route's matchers, receiver, group_wait and mute or active time intervals)`;
  }
  return ` (it fired at ${firedAt})`;
}

/** It fired, and no firing notification reached `receiver`. */
export function doesNotNotify(trace: AlertTrace, receiver: string): Verdict {
  if (!trace.episodes.some((e) => e.firingAt !== null)) return { ok: false, detail: `${traceName(trace)} never fired, so not reaching ${receiver} proves nothing` };
  const reached = trace.notifications.filter((n) => n.status === 'firing' && n.receiver === receiver);
  return reached.length === 0
    ? { ok: true, detail: `${traceName(trace)} fired and reached ${[...new Set(trace.notifications.map((n) => n.receiver))].join(', ') || 'no receiver'}, not ${receiver}` }
    : { ok: false, detail: `${traceName(trace)} reached ${receiver} at ${reached[0]!.at}` };
}

/** Fired, is inactive at the end, and its last episode resolved no earlier than `notBefore` (when its fault was reverted). */
export function resolvesAfter(trace: AlertTrace, notBefore: string | null): Verdict {
  const last = trace.episodes.at(-1);
  if (!trace.episodes.some((e) => e.firingAt !== null)) return { ok: false, detail: `${traceName(trace)} never fired, so it cannot resolve` };
  if (!last || last.resolvedAt === null) return { ok: false, detail: `${traceName(trace)} still active at the end${notBefore ? ` (fault reverted at ${notBefore})` : ''}` };
  if (notBefore !== null && ms(last.resolvedAt)! < ms(notBefore)!) {
    return { ok: false, detail: `${traceName(trace)} resolved at ${last.resolvedAt}, before its fault was reverted at ${notBefore}` };
  }
  return { ok: true, detail: `${traceName(trace)} resolved at ${last.resolvedAt}${notBefore ? `, ${secondsText(ms(last.resolvedAt)! - ms(notBefore)!)} after revert` : ''}` };
}
