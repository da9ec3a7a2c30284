import { labelsMatch } from '../labels-match.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { traceName } from '../report/trace-name.ts';
import type { Expectation } from './expectation.ts';

// One passing row stands for both checks under the name it has always had (JUnit histories key on it).
const DESCRIPTION = 'no alert fires that no expectation names';

/**
 * Like promtool's `exp_alerts`, a drill's expectations are exhaustive: every alert series that
 * reached firing must be named by an expectation (its selector's labels matching), be the source
 * of an expected inhibition, or be allowed with `toMayFire()`; and every one Alertmanager
 * inhibited must be expected inhibited by that source (or allowed). One failed result per stranger;
 * one passing result when there is none, naming the `clockBound` alerts (rules that read the clock,
 * above scale 1) whose not firing it cannot vouch for.
 */
export function unexpectedAlerts(expectations: readonly Expectation[], traces: readonly AlertTrace[], clockBound: readonly string[] = []): ExpectationResult[] {
  const named = (t: AlertTrace) =>
    expectations.some((e) => (e.alert === t.alertname && labelsMatch(e.labels ?? {}, t.labels)) || (e.kind === 'inhibitedBy' && e.source === t.alertname));
  const strangers = traces.filter((t) => t.episodes.some((e) => e.firingAt !== null) && !named(t));
  const mutedUnsaid = unexpectedInhibitions(expectations, traces.filter((t) => !strangers.includes(t)));
  if (strangers.length === 0 && mutedUnsaid.length === 0) {
    const fired = traces.filter((t) => t.firingAt !== null).map((t) => traceName(t, traces));
    const muted = traces.filter((t) => t.inhibitedBy.length > 0).map((t) => traceName(t, traces));
    // A rule that reads the clock fires here on the wall clock, not the drill's: its silence proves nothing above scale 1.
    const unjudged = clockBound.length ? `; not judged at this scale, as their rules read the clock: ${clockBound.join(', ')}` : '';
    const held = muted.length ? `; every alert held back is named: ${muted.join(', ')}` : '';
    return [{ description: DESCRIPTION, ok: true, kind: 'unexpected', detail: `${fired.length ? `every alert that fired is named: ${fired.join(', ')}` : 'no alert fired'}${held}${unjudged}` }];
  }
  return [...strangerResults(strangers, traces), ...mutedUnsaid.map(({ trace, sources }) => mutedResult(trace, sources, traces))];
}

/**
 * An alert Alertmanager held back by a source no `toBeInhibitedBy()` of it names: an inhibit rule
 * wider than meant (a dropped `equal`, a source matcher that grew) mutes pages the scenario
 * expects to go out, while Prometheus still shows them firing. `toMayFire()` leaves an alert
 * free of this too.
 */
function unexpectedInhibitions(expectations: readonly Expectation[], traces: readonly AlertTrace[]): { trace: AlertTrace; sources: string[] }[] {
  const about = (e: Expectation, t: AlertTrace) => e.alert === t.alertname && labelsMatch(e.labels ?? {}, t.labels);
  return traces.flatMap((t) => {
    if (t.inhibitedBy.length === 0 || expectations.some((e) => e.kind === 'mayFire' && about(e, t))) return [];
    const sources = t.inhibitedBy.filter((source) => !expectations.some((e) => e.kind === 'inhibitedBy' && e.source === source && about(e, t)));
    return sources.length > 0 ? [{ trace: t, sources: [...new Set(sources)] }] : [];
  });
}

function mutedResult(t: AlertTrace, sources: readonly string[], traces: readonly AlertTrace[]): ExpectationResult {
  const name = traceName(t, traces);
  const by = sources.join(', ');
  return {
    description: `no alert is held back that no expectation names: ${name}`,
    ok: false,
    kind: 'unexpected',
    alert: t.alertname,
    labels: { ...t.labels },
    detail: `${name} fired and Alertmanager held it back (inhibited by ${by}${t.suppressedFrom ? ` from ${t.suppressedFrom}` : ''}), and no expectation says it is: an inhibit rule wider than meant mutes its pages; if that is meant, expect it (${sources.map((s) => `expectAlert('${t.alertname}').toBeInhibitedBy('${s}')`).join(', ')}), else narrow the inhibit rule`,
  };
}

function strangerResults(strangers: readonly AlertTrace[], traces: readonly AlertTrace[]): ExpectationResult[] {
  return strangers.map((t) => ({
    description: `${DESCRIPTION}: ${traceName(t, traces)}`,
    ok: false,
    kind: 'unexpected' as const,
    alert: t.alertname,
    labels: { ...t.labels },
    detail: `${traceName(t, traces)} fired at ${t.episodes.filter((e) => e.firingAt !== null).map((e) => e.firingAt).join(', ')}, and no expectation names it; expect it (expectAlert('${t.alertname}').toFire()) or allow it (expectAlert('${t.alertname}').toMayFire())`,
  }));
}
