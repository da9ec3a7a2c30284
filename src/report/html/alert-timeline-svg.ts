import type { AlertTrace } from '../../observe/alert-trace.ts';
import type { ScenarioResult } from '../run-result.ts';
import { esc, secondsText } from './html-text.ts';

const WIDTH = 1000;
const LABEL_WIDTH = 260;
const ROW = 22;
const BAR = 14;

interface Span {
  readonly fromMs: number;
  readonly toMs: number;
  readonly cls: 'fault' | 'pending' | 'firing' | 'suppressed';
  readonly title: string;
}

interface Row {
  readonly label: string;
  readonly spans: Span[];
  /** Notification ticks: firing or resolved, to a receiver. */
  readonly ticks: { atMs: number; cls: 'notify-firing' | 'notify-resolved'; title: string }[];
}

const ms = (iso: string | null, fallback: number) => (iso === null ? fallback : Date.parse(iso));

function alertRow(trace: AlertTrace, endMs: number): Row {
  const name = `${trace.alertname}${labelText(trace)}`;
  const spans: Span[] = [];
  for (const e of trace.episodes) {
    const pendingMs = Date.parse(e.pendingAt);
    const firingMs = e.firingAt === null ? null : Date.parse(e.firingAt);
    const resolvedMs = ms(e.resolvedAt, endMs);
    spans.push({ fromMs: pendingMs, toMs: firingMs ?? resolvedMs, cls: 'pending', title: `${name} pending from ${e.pendingAt}` });
    if (firingMs !== null) spans.push({ fromMs: firingMs, toMs: resolvedMs, cls: 'firing', title: `${name} firing from ${e.firingAt}${e.resolvedAt ? ` to ${e.resolvedAt}` : ''}` });
  }
  if (trace.suppressedFrom) {
    spans.push({ fromMs: Date.parse(trace.suppressedFrom), toMs: ms(trace.suppressedUntil, endMs), cls: 'suppressed', title: `${name} suppressed by ${trace.inhibitedBy.join(', ') || 'a silence'}` });
  }
  return {
    label: name,
    spans,
    ticks: trace.notifications.map((n) => ({ atMs: Date.parse(n.at), cls: n.status === 'firing' ? 'notify-firing' : 'notify-resolved', title: `${n.status} notification to ${n.receiver} at ${n.at}` })),
  };
}

function labelText(trace: AlertTrace): string {
  const shown = Object.entries(trace.labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
  return shown.length ? `{${shown.map(([k, v]) => `${k}="${v}"`).join(',')}}` : '';
}

/**
 * The drill on one time axis, drawn as SVG on the server (no script needed to read it): each
 * fault from injection to revert, each alert's pending, firing and suppressed spans, and a tick
 * for every notification the sink received.
 */
export function alertTimelineSvg(scenario: ScenarioResult): string {
  const startMs = Date.parse(scenario.startedAt);
  const endMs = Math.max(Date.parse(scenario.endedAt), startMs + 1);
  const rows: Row[] = [
    ...scenario.faults.map((f): Row => ({
      label: `fault: ${f.kind} ${f.target}`,
      spans: [{ fromMs: Date.parse(f.injectedAt), toMs: ms(f.revertedAt, endMs), cls: 'fault', title: `${f.kind} ${f.target} from ${f.injectedAt}${f.revertedAt ? ` to ${f.revertedAt}` : ', never reverted'}` }],
      ticks: [],
    })),
    ...scenario.alerts.map((a) => alertRow(a, endMs)),
  ];
  const x = (t: number) => LABEL_WIDTH + ((Math.min(Math.max(t, startMs), endMs) - startMs) / (endMs - startMs)) * (WIDTH - LABEL_WIDTH - 10);
  const height = (rows.length + 1) * ROW + 6;
  const body = rows.map((row, i) => {
    const y = i * ROW + 4;
    const spans = row.spans.map((s) => `<rect class="${s.cls}" x="${x(s.fromMs).toFixed(1)}" y="${y}" width="${Math.max(1.5, x(s.toMs) - x(s.fromMs)).toFixed(1)}" height="${BAR}"><title>${esc(s.title)}</title></rect>`);
    const ticks = row.ticks.map((t) => `<line class="${t.cls}" x1="${x(t.atMs).toFixed(1)}" x2="${x(t.atMs).toFixed(1)}" y1="${y - 2}" y2="${y + BAR + 2}"><title>${esc(t.title)}</title></line>`);
    return `<text x="4" y="${y + BAR - 3}">${esc(row.label.length > 40 ? `${row.label.slice(0, 39)}…` : row.label)}<title>${esc(row.label)}</title></text>${spans.join('')}${ticks.join('')}`;
  });
  const axisY = rows.length * ROW + 4;
  const total = endMs - startMs;
  const axis = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text class="axis" x="${x(startMs + f * total).toFixed(1)}" y="${axisY + 14}" text-anchor="middle">${esc(secondsText(f * total))}</text>`);
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="timeline of ${esc(scenario.name)}">${body.join('')}<line class="axis" x1="${LABEL_WIDTH}" x2="${WIDTH - 10}" y1="${axisY}" y2="${axisY}"/>${axis.join('')}</svg>`;
}
