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
 * one passing result when there is none.
 */
export function unexpectedAlerts(expectations: readonly Expectation[], traces: readonly AlertTrace[]): ExpectationResult[] {
  const named = (t: AlertTrace) =>
    expectations.some((e) => (e.alert === t.alertname && labelsMatch(e.labels ?? {}, t.labels)) || (e.kind === 'inhibitedBy' && e.source === t.alertname));
  const strangers = traces.filter((t) => t.episodes.some((e) => e.firingAt !== null) && !named(t));
  if (strangers.length === 0) {
    const fired = traces.filter((t) => t.firingAt !== null).map((t) => traceName(t, traces));
    return [{ description: DESCRIPTION, ok: true, kind: 'unexpected', detail: fired.length ? `every alert that fired is named: ${fired.join(', ')}` : 'no alert fired' }];
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
