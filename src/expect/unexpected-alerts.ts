import { labelsMatch } from '../labels-match.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { traceName } from '../report/trace-name.ts';
import type { Expectation } from './expectation.ts';

const DESCRIPTION = 'no alert fires that no expectation names';

/**
 * Like promtool's `exp_alerts`, a drill's expectations are exhaustive: every alert series that
 * reached firing must be named by an expectation (its selector's labels matching), be the source
 * of an expected inhibition, or be allowed with `toMayFire()`. One failed result per stranger;
 * one passing result when there is none, naming the `clockBound` alerts (rules that read the clock,
 * above scale 1) whose not firing it cannot vouch for.
 */
export function unexpectedAlerts(expectations: readonly Expectation[], traces: readonly AlertTrace[], clockBound: readonly string[] = []): ExpectationResult[] {
  const named = (t: AlertTrace) =>
    expectations.some((e) => (e.alert === t.alertname && labelsMatch(e.labels ?? {}, t.labels)) || (e.kind === 'inhibitedBy' && e.source === t.alertname));
  const strangers = traces.filter((t) => t.episodes.some((e) => e.firingAt !== null) && !named(t));
  if (strangers.length === 0) {
    const fired = traces.filter((t) => t.firingAt !== null).map((t) => traceName(t, traces));
    // A rule that reads the clock fires here on the wall clock, not the drill's: its silence proves nothing above scale 1.
    const unjudged = clockBound.length ? `; not judged at this scale, as their rules read the clock: ${clockBound.join(', ')}` : '';
    return [{ description: DESCRIPTION, ok: true, kind: 'unexpected', detail: `${fired.length ? `every alert that fired is named: ${fired.join(', ')}` : 'no alert fired'}${unjudged}` }];
  }
  return strangers.map((t) => ({
    description: `${DESCRIPTION}: ${traceName(t, traces)}`,
    ok: false,
    kind: 'unexpected' as const,
    alert: t.alertname,
    labels: { ...t.labels },
    detail: `${traceName(t, traces)} fired at ${t.episodes.filter((e) => e.firingAt !== null).map((e) => e.firingAt).join(', ')}, and no expectation names it; expect it (expectAlert('${t.alertname}').toFire()) or allow it (expectAlert('${t.alertname}').toMayFire())`,
  }));
}
