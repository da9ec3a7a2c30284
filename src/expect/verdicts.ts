import type { AlertTrace } from '../observe/alert-trace.ts';

/** Allowed lateness on top of one evaluation interval: timestamps are exact, this covers rounding to ms. */
export const FIRING_TOLERANCE_SECONDS = 0.25;

export interface Verdict {
  readonly ok: boolean;
  readonly detail: string;
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const s = (millis: number) => `${(millis / 1000).toFixed(3)}s`;
export const traceName = (t: AlertTrace) => {
  const { alertname: _a, ...rest } = t.labels;
  const shown = Object.entries(rest).filter(([k]) => k === 'service' || k === 'severity');
  return `${t.alertname}{${shown.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
};

/** Firing came no earlier than `for` after pending and no later than `for` + one evaluation interval + tolerance. */
export function firesWithinFor(trace: AlertTrace): Verdict {
  const pending = ms(trace.pendingAt);
  const firing = ms(trace.firingAt);
  const lo = trace.scaledForSeconds * 1000;
  const hi = lo + (trace.evaluationIntervalSeconds + FIRING_TOLERANCE_SECONDS) * 1000;
  const window = `for is ${trace.forSeconds}s (scaled ${trace.scaledForSeconds}s), allowed ${s(lo)}..${s(hi)} after pending`;
  if (pending === null) return { ok: false, detail: `${traceName(trace)} never went pending; ${window}` };
  if (firing === null) return { ok: false, detail: `${traceName(trace)} pending at ${trace.pendingAt} but never fired; ${window}; hold the fault longer or check the expression` };
  const took = firing - pending;
  const ok = took >= lo && took <= hi;
  return { ok, detail: `${traceName(trace)} fired ${s(took)} after pending; ${window}` };
}

/** Pending came within `boundSeconds` (wall) of the fault that caused it. */
export function detectedWithin(trace: AlertTrace, boundSeconds: number): Verdict {
  if (trace.detectionSeconds === null) return { ok: false, detail: `${traceName(trace)} has no detection time (never pending after a fault)` };
  return {
    ok: trace.detectionSeconds <= boundSeconds,
    detail: `${traceName(trace)} went pending ${trace.detectionSeconds.toFixed(3)}s after the fault; bound ${boundSeconds}s`,
  };
}

export function neverFires(trace: AlertTrace): Verdict {
  const fired = trace.episodes.filter((e) => e.firingAt !== null);
  return fired.length === 0
    ? { ok: true, detail: `${traceName(trace)} did not fire${trace.pendingAt ? ` (pending at ${trace.pendingAt} only)` : ''}` }
    : { ok: false, detail: `${traceName(trace)} fired at ${fired.map((e) => e.firingAt).join(', ')}` };
}

/**
 * The target was suppressed by the source in Alertmanager, both were firing at the same time,
 * and no firing notification of the target reached any receiver between the source's first
 * notification and the source's resolution.
 */
export function inhibitedBy(target: AlertTrace, source: AlertTrace): Verdict {
  const problems: string[] = [];
  if (!target.inhibitedBy.includes(source.alertname)) {
    problems.push(`Alertmanager never showed it suppressed by ${source.alertname} (inhibitedBy: [${target.inhibitedBy.join(', ')}])`);
  }
  const sourceFiring = ms(source.firingAt);
  const sourceResolved = ms(source.resolvedAt) ?? Infinity;
  const targetFiring = ms(target.firingAt);
  const targetResolved = ms(target.resolvedAt) ?? Infinity;
  if (sourceFiring === null) problems.push(`${source.alertname} never fired, so nothing could inhibit`);
  else if (targetFiring === null || targetFiring > sourceResolved || targetResolved < sourceFiring) {
    problems.push(`it was not firing while ${source.alertname} fired, so the check proves nothing`);
  }
  const firstSourceNotice = source.notifications.filter((n) => n.status === 'firing').map((n) => ms(n.at)!).sort((a, b) => a - b)[0];
  if (firstSourceNotice === undefined) problems.push(`${source.alertname} sent no notification`);
  const leaked = target.notifications.filter(
    (n) => n.status === 'firing' && firstSourceNotice !== undefined && ms(n.at)! >= firstSourceNotice && ms(n.at)! <= sourceResolved,
  );
  if (leaked.length > 0) {
    problems.push(`notified while ${source.alertname} fired: ${leaked.map((n) => `${n.receiver} at ${n.at}`).join(', ')}`);
  }
  return problems.length === 0
    ? { ok: true, detail: `${traceName(target)} suppressed by ${source.alertname} from ${target.suppressedFrom} to ${target.suppressedUntil}; no notification while it fired` }
    : { ok: false, detail: `${traceName(target)}: ${problems.join('; ')}` };
}

/** Every firing notification went to `receiver`, and there was at least one. */
export function notifiesReceiver(trace: AlertTrace, receiver: string): Verdict {
  const firing = trace.notifications.filter((n) => n.status === 'firing');
  const elsewhere = firing.filter((n) => n.receiver !== receiver);
  if (firing.length === 0) return { ok: false, detail: `${traceName(trace)} reached no receiver; expected ${receiver}` };
  if (elsewhere.length > 0) {
    return { ok: false, detail: `${traceName(trace)} reached ${[...new Set(elsewhere.map((n) => n.receiver))].join(', ')}; expected only ${receiver}` };
  }
  return { ok: true, detail: `${traceName(trace)} reached ${receiver} at ${firing[0]!.at}` };
}

/** Fired, then resolved no earlier than `notBefore` (when the fault was reverted). */
export function resolvesAfter(trace: AlertTrace, notBefore: string | null): Verdict {
  if (trace.firingAt === null) return { ok: false, detail: `${traceName(trace)} never fired, so it cannot resolve` };
  if (trace.resolvedAt === null) return { ok: false, detail: `${traceName(trace)} still active at the end${notBefore ? ` (fault reverted at ${notBefore})` : ''}` };
  if (notBefore !== null && ms(trace.resolvedAt)! < ms(notBefore)!) {
    return { ok: false, detail: `${traceName(trace)} resolved at ${trace.resolvedAt}, before its fault was reverted at ${notBefore}` };
  }
  return { ok: true, detail: `${traceName(trace)} resolved at ${trace.resolvedAt}${notBefore ? `, ${s(ms(trace.resolvedAt)! - ms(notBefore)!)} after revert` : ''}` };
}
