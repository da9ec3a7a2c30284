import type { GateResult } from '../../gate/run-gate.ts';
import { describePower, failedExpectations, type ExpectationKind, type RunResult } from '../run-result.ts';
import { esc } from './html-text.ts';

/** What to look at next when an expectation of this kind did not hold. */
const NEXT_STEP: Record<ExpectationKind | 'traffic', string> = {
  fires: 'compare the rule\'s value with its threshold in the graph below: if it never crossed, the fault did not move the metric (wrong metric, label or window); if it crossed late, check `for` and the evaluation interval',
  doesNotFire: 'the rule fires on traffic that should not page: its threshold is too tight or its window too short for this traffic; the graph shows how close it ran',
  unexpected: 'an alert nobody expected fired: either the drill hurt more than intended or the rule is noisy; add an expectation or fix the rule',
  inhibitedBy: 'the inhibition did not hold: check that the source alert fired first and that the rule\'s `equal` labels have the same values on both alerts',
  notifies: 'the route did not deliver to that receiver: check the route\'s matchers, `continue` and the receiver\'s name in Alertmanager\'s config',
  resolves: 'the alert did not resolve after the fault was reverted: the recovery is slower than the drill, or the expression never drops below its threshold',
  mayFire: 'this alert is allowed to fire; nothing to fix',
  traffic: 'the service answered fewer 2xx than the scenario requires: look at its log in the run directory (--keep)',
};

function counts(run: RunResult): { scenarios: number; systems: string[]; alerts: string[]; inhibitions: number; routes: number } {
  const expectations = run.scenarios.flatMap((s) => s.expectations);
  return {
    scenarios: run.scenarios.length,
    systems: [...new Set(run.scenarios.map((s) => s.system).filter((s): s is string => !!s))],
    alerts: [...new Set(expectations.filter((e) => e.kind === 'fires' || e.kind === 'doesNotFire').map((e) => e.alert!))],
    inhibitions: expectations.filter((e) => e.kind === 'inhibitedBy').length,
    routes: expectations.filter((e) => e.kind === 'notifies').length,
  };
}

/** Gate findings outside the drills' expectations: static checks, contract, coverage, power. */
function gateProblems(gate: GateResult): string[] {
  const problems: string[] = [];
  for (const s of gate.systems) {
    for (const f of s.static) problems.push(`${s.system}: ${f.file}${f.where ? ` ${f.where}` : ''}: ${f.message} (${f.check})`);
    for (const f of s.contract?.findings ?? []) problems.push(`${s.system}: metric contract: ${f.message}`);
    for (const f of s.dashboards?.findings ?? []) problems.push(`${s.system}: dashboard ${f.dashboard}, panel ${f.panel} [${f.refId}] is ${f.grade}: ${f.reason}`);
    if (gate.coverageJudged && s.alertCoverage.percent < gate.minAlertCoverage) {
      const never = s.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.name);
      problems.push(`${s.system}: alert coverage ${s.alertCoverage.percent}% is below ${gate.minAlertCoverage}%: no drill fires and asserts ${never.join(', ')}`);
    }
    if (gate.coverageJudged && s.inhibitionCoverage.percent < gate.minInhibitionCoverage) problems.push(`${s.system}: inhibition coverage ${s.inhibitionCoverage.percent}% is below ${gate.minInhibitionCoverage}%`);
  }
  for (const s of gate.run.scenarios) for (const p of s.power ?? []) if (!p.enough) problems.push(`${s.name}: ${describePower(p, s.scale ?? gate.run.scale)}`);
  return problems;
}

/** What the machine may have done to each drill, the attempts run again for it, and why a drill was not: shown only when there is any. */
function machineNotes(run: RunResult): string {
  const notes = run.scenarios.flatMap((s) => [
    ...(s.voidAttempts ?? []).map((v, i, all) => {
      const rescaled = i === all.length - 1 && v.scale !== undefined && s.scale !== undefined && s.scale !== v.scale;
      const where = v.scale === undefined ? '' : ` (scale ${v.scale})`;
      return `${s.name}: attempt ${i + 1}${where} was void and the drill ran again${rescaled ? ` at scale ${s.scale}` : ''}: it failed while ${v.machineInterference.join('; ')}`;
    }),
    ...(s.machineInterference ?? []).map((line) => `${s.name}${s.ok ? '' : ' (failed)'}: ${line}`),
    ...(s.notRunAgain ? [`${s.name}: not run again: ${s.notRunAgain}`] : []),
  ]);
  return notes.length === 0 ? '' : `\n<dt>What this machine did to the drills</dt><dd><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></dd>`;
}

/**
 * The part of the report read aloud in the room: what was tested, what held, what did not, and
 * for each failure what to look at next. Built from the result alone.
 */
export function roomSummaryHtml(run: RunResult, gate?: GateResult): string {
  const c = counts(run);
  const expectations = run.scenarios.flatMap((s) => s.expectations);
  const held = expectations.filter((e) => e.ok);
  const failed = failedExpectations(run);
  const verdict = (gate ? gate.ok : run.ok) && !run.notRun;
  const extra = gate ? gateProblems(gate) : [];
  if (run.interrupted) extra.push('the run was interrupted (Ctrl-C or SIGTERM): only the drills below finished; run the others again');
  if (!verdict && failed.length === 0 && extra.length === 0 && !run.notRun) extra.push('not every selected drill produced a result');
  const tested = `${c.scenarios} drill${c.scenarios === 1 ? '' : 's'}${c.systems.length ? ` of ${c.systems.join(', ')}` : ''}: ${c.alerts.length} alert${c.alerts.length === 1 ? '' : 's'} judged on firing or staying quiet, ${c.inhibitions} inhibition check${c.inhibitions === 1 ? '' : 's'}, ${c.routes} routing check${c.routes === 1 ? '' : 's'}; ${expectations.length} expectations in all.`;
  const heldKinds = (['fires', 'doesNotFire', 'inhibitedBy', 'notifies', 'resolves'] as const)
    .map((k) => [k, held.filter((e) => e.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => {
      const [one, many] = ({
        fires: ['alert fired within its for window', 'alerts fired within their for windows'],
        doesNotFire: ['alert stayed quiet as it should', 'alerts stayed quiet as they should'],
        inhibitedBy: ['inhibition held', 'inhibitions held'],
        notifies: ['alert routed to the expected receiver', 'alerts routed to the expected receivers'],
        resolves: ['alert resolved after the revert', 'alerts resolved after the revert'],
      } as const)[k];
      return `${n} ${n === 1 ? one : many}`;
    });
  const fixes = [
    ...failed.map((e) => `<li><b>${esc(e.scenario)}</b>: ${esc(e.description)}: ${esc(e.detail)}<br><span class="next">Next: ${esc(NEXT_STEP[e.kind ?? 'traffic'])}</span></li>`),
    ...extra.map((p) => `<li>${esc(p)}</li>`),
  ];
  return `<section id="summary" class="${verdict ? 'pass' : 'fail'}">
<h2>Summary: ${verdict ? 'everything held' : `${failed.length + extra.length} problem${failed.length + extra.length === 1 ? '' : 's'} to fix`}</h2>
<dl>
<dt>What was tested</dt><dd>${esc(run.notRun ? `nothing ran: ${run.notRun}` : tested)}</dd>
<dt>What held</dt><dd>${esc(`${held.length} of ${expectations.length} expectations${heldKinds.length ? `: ${heldKinds.join('; ')}` : ''}.`)}</dd>
<dt>What did not, and what to fix</dt><dd>${fixes.length === 0 ? 'nothing.' : `<ol class="fixes">${fixes.join('')}</ol>`}</dd>${machineNotes(run)}
</dl>
</section>`;
}
