import type { GateResult } from '../../gate/run-gate.ts';
import { traceName } from '../trace-name.ts';
import type { RunResult, ScenarioResult } from '../run-result.ts';
import { alertTimelineSvg } from './alert-timeline-svg.ts';
import { ruleChart, trafficChart, type ChartSpec } from './chart-data.ts';
import { renderPage } from './html-page.ts';
import { esc, secondsText } from './html-text.ts';
import { roomSummaryHtml } from './room-summary.ts';
import { describeScales } from '../system-timing.ts';

/** What a report is of: `firedrill run`, `firedrill gate`, or a game day on a running stack. */
export type ReportKind = 'run' | 'gate' | 'game day';

export interface HtmlReportInput {
  readonly kind: ReportKind;
  readonly run: RunResult;
  readonly gate?: GateResult;
  /** Lines shown under the title: where the stack was, what evidence the verdicts rest on. */
  readonly notes?: readonly string[];
}

function notificationsTable(scenario: ScenarioResult): string {
  const byReceiver = new Map<string, { firing: number; resolved: number; first: string; alerts: Set<string> }>();
  for (const a of scenario.alerts) {
    for (const n of a.notifications) {
      const row = byReceiver.get(n.receiver) ?? { firing: 0, resolved: 0, first: n.at, alerts: new Set<string>() };
      row[n.status] += 1;
      if (n.at < row.first) row.first = n.at;
      row.alerts.add(a.alertname);
      byReceiver.set(n.receiver, row);
    }
  }
  if (byReceiver.size === 0) return '<p class="muted">No notification reached any receiver.</p>';
  const rows = [...byReceiver].sort(([a], [b]) => a.localeCompare(b)).map(([receiver, r]) => `<tr><td>${esc(receiver)}</td><td>${r.firing}</td><td>${r.resolved}</td><td>${esc(r.first)}</td><td>${esc([...r.alerts].sort().join(', '))}</td></tr>`);
  return `<table class="notifications"><thead><tr><th>receiver</th><th>firing</th><th>resolved</th><th>first at</th><th>alerts</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function expectationsTable(scenario: ScenarioResult): string {
  const evidence = scenario.expectations.some((e) => e.evidence);
  const rows = scenario.expectations.map((e) => `<tr class="${e.ok ? 'ok' : 'failed'}"><td class="verdict">${e.ok ? 'held' : 'FAILED'}</td><td>${esc(e.description)}</td><td>${esc(e.detail)}</td>${evidence ? `<td class="muted">${esc(e.evidence ?? '')}</td>` : ''}</tr>`);
  return `<table class="expectations"><thead><tr><th>verdict</th><th>expectation</th><th>details</th>${evidence ? '<th>evidence</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function scenarioSection(scenario: ScenarioResult, index: number, charts: Record<string, ChartSpec>): string {
  const chartDiv = (spec: ChartSpec | null) => {
    if (!spec) return '';
    charts[spec.id] = spec;
    return `<div class="chart" data-chart="${esc(spec.id)}"></div>`;
  };
  const wallMs = Date.parse(scenario.endedAt) - Date.parse(scenario.startedAt);
  const alerts = scenario.alerts.filter((a) => a.episodes.length > 0).map((a) => traceName(a));
  return `<section class="scenario ${scenario.ok ? 'pass' : 'fail'}" id="scenario-${index}">
<h2><span class="badge">${scenario.ok ? 'PASS' : 'FAIL'}</span> ${esc(scenario.name)}</h2>
<p class="muted">${esc([scenario.system ? `system ${scenario.system}` : '', `scale ${scenario.scale ?? ''}`, `${secondsText(wallMs)} wall`, `${scenario.traffic.requests} requests (${scenario.traffic.achievedRps}/s, p95 ${scenario.traffic.latencyMs.p95} ms)`, alerts.length ? `went active: ${alerts.join(', ')}` : 'no alert went active'].filter(Boolean).join(' · '))}</p>
${scenario.aborted ? `<p class="aborted">Aborted at ${esc(scenario.aborted.at)} by guard '${esc(scenario.aborted.guard)}': ${esc(scenario.aborted.detail)}.</p>` : ''}
<h3>Timeline</h3>
${alertTimelineSvg(scenario)}
<p class="legend"><span class="key fault"></span> fault <span class="key pending"></span> pending <span class="key firing"></span> firing <span class="key suppressed"></span> suppressed <span class="key tick"></span> notification</p>
${chartDiv(trafficChart(scenario, `traffic-${index}`)) || '<p class="muted">firedrill sent no traffic in this drill (its services make their own).</p>'}
<h3>Expectations</h3>
${expectationsTable(scenario)}
<h3>Notifications per receiver</h3>
${notificationsTable(scenario)}
${scenario.delivery ? `<p class="muted">Alertmanager's notification counters during the drill: ${esc(Object.entries(scenario.delivery).map(([integration, d]) => `${integration} ${d.sent} sent, ${d.failed} failed`).join('; ') || 'nothing sent')}</p>` : ''}
${(scenario.ruleValues ?? []).length ? '<h3>Judged rules</h3>' : ''}
${(scenario.ruleValues ?? []).map((r, i) => chartDiv(ruleChart(scenario, r, `rule-${index}-${i}`))).join('\n')}
</section>`;
}

function gateSection(gate: GateResult): string {
  const rows = gate.systems.map((s) => `<tr><td>${esc(s.system)}</td><td>${s.static.length === 0 ? 'ok' : `${s.static.length} problem(s)`}</td><td>${s.contract ? (s.contract.findings.length === 0 ? 'ok' : `${s.contract.findings.length} finding(s)`) : 'none configured'}</td><td>${s.dashboards ? `${s.dashboards.checked - s.dashboards.findings.length}/${s.dashboards.checked} queries with data` : 'none'}</td><td>${s.alertCoverage.percent}%</td><td>${s.inhibitionCoverage.percent}%</td></tr>`);
  return `<section id="gate"><h2>Gate stages</h2><table><thead><tr><th>system</th><th>static checks</th><th>metric contract</th><th>dashboards</th><th>alert coverage (min ${gate.minAlertCoverage}%)</th><th>inhibition coverage (min ${gate.minInhibitionCoverage}%)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * One self-contained HTML file (styles, uPlot and data inlined; nothing fetched) for a room of
 * people: the summary first, then per drill its timeline, traffic, verdicts, notifications per
 * receiver and a graph of every judged rule against its threshold.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { run, gate } = input;
  const ok = gate ? gate.ok : run.ok;
  const charts: Record<string, ChartSpec> = {};
  const sections = run.scenarios.map((s, i) => scenarioSection(s, i, charts));
  const first = run.scenarios[0]?.startedAt;
  const facts = [`stack ${run.stack}`, describeScales(run), `engine ${run.engine}`, first ? `started ${first}` : '', gate ? `${gate.wallSeconds} s wall` : run.pool ? `${run.pool.wallSeconds} s wall` : ''].filter(Boolean);
  return renderPage({
    title: `firedrill ${input.kind}: ${ok ? 'PASS' : 'FAIL'}`,
    ok,
    facts: [facts.join(' · '), ...(input.notes ?? [])],
    charts,
    body: `${roomSummaryHtml(run, gate)}
${gate ? gateSection(gate) : ''}
<nav><h2>Drills</h2><ol>${run.scenarios.map((s, i) => `<li class="${s.ok ? 'pass' : 'fail'}"><a href="#scenario-${i}">${s.ok ? 'PASS' : 'FAIL'} ${esc(s.name)}</a></li>`).join('')}</ol></nav>
${sections.join('\n')}`,
  });
}
