import type { GateResult } from '../gate/run-gate.ts';
import type { JUnitSuite } from './junit.ts';
import { atScale, describePower, describeVoidAttempt, failedExpectations, type RunResult } from './run-result.ts';

/** The floor the summary names when no window fell short (the checks carry their own). */
const MIN_EVENTS_LABEL = 20;
/** Families listed by name when exposed but not in the contract; exporters expose hundreds. */
const UNLISTED_SHOWN = 12;

/** The gate's console summary: stage by stage, coverage, wall time, verdict. */
export function formatGateSummary(gate: GateResult): string {
  const lines: string[] = [];
  for (const s of gate.systems) {
    lines.push(`system ${s.system}`);
    lines.push(`  static     ${s.static.length === 0 ? 'ok: promtool check config/rules, amtool check-config, rule metrics in contract, routed alertnames exist' : `${s.static.length} problem(s)`}`);
    for (const f of s.static) lines.push(`    FAIL ${f.file}${f.where ? `: ${f.where}` : ''}: ${f.message} (${f.check})`);
    if (s.contract) {
      lines.push(`  contract   ${s.contract.checked - new Set(s.contract.findings.map((f) => f.family)).size}/${s.contract.checked} families as declared in ${s.contract.file}`);
      for (const f of s.contract.findings) lines.push(`    FAIL ${f.message}`);
      if (s.contract.unlisted.length) {
        // Exporters expose hundreds of families; the JSON result lists them all.
        const shown = s.contract.unlisted.slice(0, UNLISTED_SHOWN);
        const more = s.contract.unlisted.length - shown.length;
        lines.push(`    exposed but not in the contract (${s.contract.unlisted.length}): ${shown.join(', ')}${more > 0 ? `, and ${more} more (all in the result JSON)` : ''}`);
      }
    } else {
      lines.push('  contract   none configured');
    }
    if (s.dashboards) {
      lines.push(`  dashboards ${s.dashboards.checked - s.dashboards.findings.length}/${s.dashboards.checked} panel queries return data over the baseline`);
      for (const f of s.dashboards.findings) lines.push(`    FAIL ${f.dashboard} / ${f.row ? `${f.row} / ` : ''}${f.panel} [${f.refId}]: ${f.grade}: ${f.reason}; query: ${f.expanded}`);
    }
    const uncovered = s.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.name);
    const judged = gate.coverageJudged ? '' : ' in this shard; judged after firedrill merge';
    lines.push(`  alerts     ${s.alertCoverage.percent}% covered (min ${gate.minAlertCoverage}%)${judged}${uncovered.length ? `; never fired and asserted: ${uncovered.join(', ')}` : ''}`);
    lines.push(`  inhibition ${s.inhibitionCoverage.percent}% covered (min ${gate.minInhibitionCoverage}%)${judged}`);
    for (const r of s.inhibitionCoverage.rules) {
      lines.push(`    ${r.suppressedIn.length && r.controlIn.length ? 'ok  ' : 'FAIL'} ${r.description}: suppressing in [${r.suppressedIn.join(', ')}], control in [${r.controlIn.join(', ')}]`);
    }
  }
  const weak = gate.run.scenarios.flatMap((s) => (s.power ?? []).filter((p) => !p.enough).map((p) => ({ scenario: s, p })));
  const judged = gate.run.scenarios.reduce((n, s) => n + (s.power ?? []).length, 0);
  lines.push(`power      ${judged - weak.length}/${judged} judged windows held at least ${weak[0]?.p.floor ?? MIN_EVENTS_LABEL} events`);
  for (const { scenario, p } of weak) lines.push(`  FAIL ${scenario.name}: ${describePower(p, scenario.scale ?? gate.run.scale)}`);
  const expectations = gate.run.scenarios.flatMap((s) => s.expectations);
  const failed = expectations.filter((e) => !e.ok);
  if (gate.run.notRun) lines.push(`scenarios  none ran: ${gate.run.notRun}`);
  else lines.push(`scenarios  ${gate.run.scenarios.filter((s) => s.ok).length}/${gate.run.scenarios.length} passed, ${expectations.length - failed.length}/${expectations.length} expectations hold`);
  for (const e of failedExpectations(gate.run)) lines.push(`  FAIL ${e.scenario}: ${e.description}: ${e.detail}`);
  lines.push(`gate ${gate.ok ? 'PASS' : 'FAIL'} in ${gate.wallSeconds}s wall`);
  return lines.join('\n');
}

/** One testcase per static check, contract family, coverage figure and scenario expectation. */
export function gateJUnitSuites(gate: GateResult): JUnitSuite[] {
  const suites: JUnitSuite[] = [];
  for (const s of gate.systems) {
    suites.push({
      name: `${s.system}.static`,
      timeSeconds: 0,
      cases: s.static.length === 0 ? [{ name: 'static checks', ok: true, detail: 'promtool, amtool, metric contract and alertname references' }] : s.static.map((f) => ({ name: `${f.check}: ${f.file} ${f.where}`.trim(), ok: false, detail: f.message })),
    });
    if (s.contract) {
      suites.push({
        name: `${s.system}.contract`,
        timeSeconds: 0,
        cases: [...new Set([...s.contract.findings.map((f) => f.family)])].length === 0
          ? [{ name: `${s.contract.checked} families`, ok: true, detail: `every family of ${s.contract.file} present with its type and labels` }]
          : s.contract.findings.map((f) => ({ name: f.family, ok: false, detail: f.message })),
      });
    }
    if (s.dashboards) {
      suites.push({
        name: `${s.system}.dashboards`,
        timeSeconds: 0,
        cases: s.dashboards.findings.length === 0
          ? [{ name: `${s.dashboards.checked} panel queries`, ok: true, detail: 'every panel query of every dashboard returns data over the baseline' }]
          : s.dashboards.findings.map((f) => ({ name: `${f.dashboard} / ${f.panel} [${f.refId}]`, ok: false, detail: `${f.grade}: ${f.reason}; query: ${f.expanded}` })),
      });
    }
    if (gate.coverageJudged) suites.push({
      name: `${s.system}.coverage`,
      timeSeconds: 0,
      cases: [
        { name: 'alert coverage', ok: s.alertCoverage.percent >= gate.minAlertCoverage, detail: `${s.alertCoverage.percent}% (min ${gate.minAlertCoverage}%)` },
        { name: 'inhibition coverage', ok: s.inhibitionCoverage.percent >= gate.minInhibitionCoverage, detail: `${s.inhibitionCoverage.percent}% (min ${gate.minInhibitionCoverage}%)` },
      ],
    });
  }
  const power = gate.run.scenarios.flatMap((s) => (s.power ?? []).map((p) => ({ name: `${s.name}: ${p.alert} window holds enough events`, ok: p.enough, detail: describePower(p, s.scale ?? gate.run.scale) })));
  if (power.length > 0) suites.push({ name: 'power', timeSeconds: 0, cases: power });
  return [...suites, ...runJUnitSuites(gate.run)];
}

/**
 * One testsuite per scenario, one testcase per expectation. A drill that ran again after a void
 * attempt (the machine interfered) says so: its suite's `attempts` property and `<system-err>`,
 * and each verdict that failed in the void attempt as an earlier failure of its testcase.
 */
export function runJUnitSuites(run: RunResult): JUnitSuite[] {
  return run.scenarios.map((scenario) => {
    const voids = scenario.voidAttempts ?? [];
    const attempts = voids.length + 1;
    const earlierFailures = (description: string) =>
      voids.flatMap((v, i) =>
        v.failed
          .filter((f) => f.startsWith(`${description}: `))
          .map((f) => ({ message: `attempt ${i + 1} of ${attempts}${atScale(v, ' at scale ')}, void: failed while ${v.machineInterference.join('; ')}`, detail: f.slice(description.length + 2) })),
      );
    return {
      name: scenario.name,
      timeSeconds: (Date.parse(scenario.endedAt) - Date.parse(scenario.startedAt)) / 1000,
      cases: scenario.expectations.map((e) => {
        const earlier = earlierFailures(e.description);
        return { name: e.description, ok: e.ok, detail: e.detail, ...(earlier.length > 0 ? { earlierFailures: earlier } : {}) };
      }),
      ...(voids.length > 0 ? { properties: { attempts: String(attempts) }, systemErr: voids.map((v, i) => describeVoidAttempt(v, i + 1)).join('\n') } : {}),
    };
  });
}
