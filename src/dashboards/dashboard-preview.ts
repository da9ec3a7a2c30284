import type { ChartSpec } from '../report/html/chart-data.ts';
import { renderPage } from '../report/html/html-page.ts';
import { esc } from '../report/html/html-text.ts';
import type { PanelGrade } from './check-dashboard.ts';

const COLORS = ['#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/** One chart of a panel: every series of every target of it, joined on their timestamps. */
function panelChart(grades: readonly PanelGrade[], id: string): ChartSpec {
  const series = grades.flatMap((g) => (g.series ?? []).map((s) => ({ refId: g.refId, ...s })));
  const x = [...new Set(series.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  return {
    id,
    title: grades[0]!.panel,
    x,
    series: series.map((s, i) => {
      const byTime = new Map(s.values);
      const labels = Object.entries(s.labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(',');
      return { label: `${s.refId}${labels ? ` {${labels}}` : ''}`, values: x.map((t) => byTime.get(t) ?? null), color: COLORS[i % COLORS.length]! };
    }),
    threshold: null,
    marks: [],
  };
}

/**
 * A dashboard as firedrill saw it, in the HTML report's style: per row, one chart per panel with
 * what its queries returned, and beside each the grade and the query Grafana would send. A panel
 * with no data says so, in its chart.
 */
export function renderDashboardPreview(title: string, grades: readonly PanelGrade[], facts: readonly string[]): string {
  const charts: Record<string, ChartSpec> = {};
  const panels = [...new Set(grades.map((g) => `${g.row ?? ''}\n${g.panel}`))];
  let row: string | undefined;
  const body = panels
    .map((key, i) => {
      const [panelRow, panel] = key.split('\n') as [string, string];
      const mine = grades.filter((g) => (g.row ?? '') === panelRow && g.panel === panel);
      const chart = panelChart(mine, `panel-${i}`);
      charts[chart.id] = chart;
      const heading = panelRow !== row ? `<h2>${esc(panelRow || 'Panels')}</h2>` : '';
      row = panelRow;
      const ok = mine.every((g) => g.grade === 'ok');
      const queries = mine.map((g) => `<tr class="${g.grade === 'ok' ? 'ok' : 'failed'}"><td class="verdict">${g.grade}</td><td>${esc(g.refId)}</td><td><code>${esc(g.expanded)}</code></td><td>${esc(g.reason)}</td></tr>`).join('');
      return `${heading}<section class="panel ${ok ? 'pass' : 'fail'}"><h3>${esc(panel)}</h3><div class="chart" data-chart="${chart.id}"></div><table><tbody>${queries}</tbody></table></section>`;
    })
    .join('\n');
  const ok = grades.every((g) => g.grade === 'ok');
  return renderPage({ title: `${title}: ${grades.filter((g) => g.grade === 'ok').length}/${grades.length} queries with data`, ok, facts, charts, body });
}
