import type { ChartSpec } from './chart-data.ts';
import { esc, scriptJson } from './html-text.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { PAGE_STYLE } from './page-style.ts';
import { chartAssets } from './report-assets.ts';

export interface HtmlPage {
  readonly title: string;
  readonly ok: boolean;
  /** Lines under the title. */
  readonly facts: readonly string[];
  /** The page's main content, already HTML; `<div data-chart="id">` elements are drawn from `charts`. */
  readonly body: string;
  readonly charts: Readonly<Record<string, ChartSpec>>;
}

/** One self-contained page: uPlot, styles and chart data inlined, nothing fetched. */
export function renderPage(page: HtmlPage): string {
  const { script, css } = chartAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<style>${css}</style>
<style>${PAGE_STYLE}</style>
</head><body>
<header class="${page.ok ? 'pass' : 'fail'}"><h1>${esc(page.title)}</h1>${page.facts.map((f) => `<p>${esc(f)}</p>`).join('')}</header>
<main>
${page.body}
</main>
<script type="application/json" id="firedrill-data">${scriptJson({ charts: page.charts })}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
