import type { AlertTrace } from '../observe/alert-trace.ts';
import { traceName } from '../expect/verdicts.ts';
import type { RunResult, ScenarioResult } from './run-result.ts';

const since = (startMs: number, at: string | null) => (at === null ? '-' : `+${((Date.parse(at) - startMs) / 1000).toFixed(1)}s`);

/** The human-readable timeline and verdict of one scenario. */
export function formatScenario(result: ScenarioResult, scale: number): string {
  const start = Date.parse(result.startedAt);
  const took = ((Date.parse(result.endedAt) - start) / 1000).toFixed(1);
  const t = result.traffic;
  const statuses = Object.entries(t.statuses).map(([s, n]) => `${s}:${n}`).join(' ');
  const lines = [
    `${result.ok ? 'PASS' : 'FAIL'}  ${result.name}  (${took}s wall at scale ${scale}; times below are wall seconds from scenario start)`,
    `  traffic   ${t.requests} requests, ${t.achievedRps} rps, status ${statuses || 'none'}${t.dropped ? `, ${t.dropped} dropped` : ''}, latency p50 ${t.latencyMs.p50}ms p95 ${t.latencyMs.p95}ms p99 ${t.latencyMs.p99}ms`,
    ...result.faults.map((f, i) => `  ${i === 0 ? 'faults ' : '       '}   ${f.kind}(${f.target}) injected ${since(start, f.injectedAt)}, reverted ${since(start, f.revertedAt)}`),
    '  alerts',
    ...result.alerts.map((a) => `    ${formatTraceLine(a, start)}`),
    '  expectations',
    ...result.expectations.map((e) => `    ${e.ok ? 'ok  ' : 'FAIL'} ${e.description}\n         ${e.detail}`),
  ];
  return lines.join('\n');
}

export function formatTraceLine(a: AlertTrace, startMs: number): string {
  const notified = a.notifications.filter((n) => n.status === 'firing').map((n) => `${n.receiver} ${since(startMs, n.at)}`);
  return [
    traceName(a).padEnd(48),
    `pending ${since(startMs, a.pendingAt)}`,
    `firing ${since(startMs, a.firingAt)} (for ${a.forSeconds}s -> ${a.scaledForSeconds}s)`,
    `resolved ${since(startMs, a.resolvedAt)}`,
    a.detectionSeconds === null ? '' : `detected ${a.detectionSeconds}s after fault`,
    a.inhibitedBy.length ? `inhibited by ${a.inhibitedBy.join(', ')}` : '',
    `notified ${notified.join(', ') || 'none'}`,
  ]
    .filter(Boolean)
    .join('  ');
}

/** One trace as a timeline block, for matcher failure messages. */
export function formatTrace(a: AlertTrace): string {
  const start = a.pendingAt ? Date.parse(a.pendingAt) : Date.now();
  return `${formatTraceLine(a, start)}\n    (times from pendingAt ${a.pendingAt ?? 'never'}; evaluation interval ${a.evaluationIntervalSeconds}s)`;
}

/** One row per scenario: the table `firedrill run` ends with. */
export function formatRunTable(run: RunResult): string {
  const rows = run.scenarios.map((s) => {
    const fired = s.alerts.filter((a) => a.firingAt !== null);
    const held = s.expectations.filter((e) => e.ok).length;
    return [
      s.ok ? 'PASS' : 'FAIL',
      s.name,
      `${((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)}s`,
      String(s.traffic.achievedRps),
      `${s.traffic.checkFailures}/${s.traffic.requests}`,
      `${held}/${s.expectations.length}`,
      [...new Set(fired.map((a) => a.alertname))].join(', ') || '-',
    ];
  });
  const header = ['result', 'scenario', 'wall', 'rps', 'errors', 'expect', 'alerts fired'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatRunSummary(run: RunResult): string {
  const passed = run.scenarios.filter((s) => s.ok).length;
  const expectations = run.scenarios.flatMap((s) => s.expectations);
  const failed = expectations.filter((e) => !e.ok).length;
  return [
    `${run.ok ? 'PASS' : 'FAIL'}: ${passed}/${run.scenarios.length} scenarios, ${expectations.length - failed}/${expectations.length} expectations hold`,
    `stack ${run.stack} ready in ${run.stackReadySeconds}s; scale ${run.scale}, scrape every ${run.scrapeIntervalSeconds}s, evaluate every ${run.evaluationIntervalSeconds}s; engine ${run.engine}`,
    `${expectations.length - failed} passed, ${failed} failed`,
  ].join('\n');
}
