import { formatDurationMs } from '../duration.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import { describeValueSeries } from '../observe/rule-value-series.ts';
import { traceName } from './trace-name.ts';
import { describeTimings } from './system-timing.ts';
import { describePower, describeVoidAttempt, type RunResult, type ScenarioResult } from './run-result.ts';

/**
 * Wall seconds from the drill's start, with the rule time it stands for in brackets: `+7.5s [5m]`;
 * before the start (during the history) `-1.8s [-1m12s]`.
 */
export function clock(startMs: number, scale: number): (at: string | null) => string {
  return (at) => {
    if (at === null) return '-';
    const wallMs = Date.parse(at) - startMs;
    const sign = wallMs < 0 ? '-' : '+';
    const ruleTime = formatDurationMs(Math.round((Math.abs(wallMs) * scale) / 1000) * 1000);
    return `${sign}${(Math.abs(wallMs) / 1000).toFixed(1)}s${scale === 1 ? '' : ` [${sign === '-' ? '-' : ''}${ruleTime}]`}`;
  };
}

/** The human-readable timeline and verdict of one scenario. */
export function formatScenario(result: ScenarioResult, scale: number): string {
  const start = Date.parse(result.startedAt);
  const at = clock(start, scale);
  const took = ((Date.parse(result.endedAt) - start) / 1000).toFixed(1);
  const t = result.traffic;
  const statuses = Object.entries(t.statuses).map(([s, n]) => `${s}:${n}`).join(' ');
  const lines = [
    `${result.ok ? 'PASS' : 'FAIL'}  ${result.name}  (${took}s wall at scale ${scale}; times are wall seconds from the drill's start, [rule time])`,
    ...(result.historySeconds > 0 ? [`  history   ${formatDurationMs(result.historySeconds * 1000 * scale)} of healthy traffic (${result.historySeconds}s wall) before the scenario's timeline, so that windows are full when the fault comes`] : []),
    `  traffic   ${t.requests} requests, ${t.achievedRps} rps, status ${statuses || 'none'}${t.dropped ? `, ${t.dropped} dropped` : ''}, latency p50 ${t.latencyMs.p50}ms p95 ${t.latencyMs.p95}ms p99 ${t.latencyMs.p99}ms`,
    ...result.faults.map(
      (f, i) =>
        `  ${i === 0 ? 'faults ' : '       '}   ${f.kind}(${f.target}) injected ${at(f.injectedAt)}, reverted ${at(f.revertedAt)}${f.downSeconds === undefined ? '' : `, down ${f.downSeconds}s [${formatDurationMs(Math.round(f.downSeconds * scale) * 1000)}]`}`,
    ),
    '  alerts',
    ...(result.alerts.length === 0 ? ['    none was active'] : result.alerts.flatMap((a) => formatTraceLines(a, result.alerts, at))),
    '  expectations',
    ...result.expectations.flatMap((e) => [
      `    ${e.ok ? 'ok  ' : 'FAIL'} ${e.description}`,
      `         ${e.detail}`,
      ...(e.series ? describeValueSeries(e.series).map((line) => `         ${line}`) : []),
    ]),
    ...result.power.map((p, i) => `  ${i === 0 ? 'power  ' : '       '}   ${p.enough ? 'ok  ' : 'WARN'} ${describePower(p, scale)}`),
    ...(result.machineInterference ?? []).map((line, i) => `  ${i === 0 ? 'machine' : '       '}   ${line}`),
    ...(result.notRunAgain ? [`  once      ${result.notRunAgain}`] : []),
    ...(result.voidAttempts ?? []).map(
      (v, i) => `  ${i === 0 ? 'retried' : '       '}   ${describeVoidAttempt(v, i + 1)}`,
    ),
  ];
  return lines.join('\n');
}

/** A trace's line (named by the labels that set it apart from its siblings), then one line per episode when it had several. */
function formatTraceLines(a: AlertTrace, all: readonly AlertTrace[], at: (iso: string | null) => string): string[] {
  const head = `    ${formatTraceLine(a, at, traceName(a, all))}`;
  if (a.episodes.length <= 1) return [head];
  return [
    head,
    ...a.episodes.map(
      (e, i) => `      episode ${i + 1}: pending ${at(e.pendingAt)}  ${e.firingAt === null ? 'never fired (a near miss)' : `firing ${at(e.firingAt)}`}  resolved ${at(e.resolvedAt)}`,
    ),
  ];
}

export function formatTraceLine(a: AlertTrace, at: (iso: string | null) => string, name = traceName(a)): string {
  const notified = a.notifications.filter((n) => n.status === 'firing').map((n) => `${n.receiver} ${at(n.at)}`);
  return [
    name.padEnd(48),
    `pending ${at(a.pendingAt)}`,
    `firing ${at(a.firingAt)} (for ${a.forSeconds}s -> ${a.scaledForSeconds}s)`,
    `resolved ${at(a.resolvedAt)}`,
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
  return `${formatTraceLine(a, clock(start, 1))}\n    (times from pendingAt ${a.pendingAt ?? 'never'}; evaluation interval ${a.evaluationIntervalSeconds}s)`;
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
  // Interrupted, the run has only the drills that finished: say that, not a verdict over none.
  const verdict = run.interrupted
    ? `INTERRUPTED: ${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'} finished before it (${passed} passed), ${expectations.length - failed}/${expectations.length} expectations hold`
    : `${run.ok ? 'PASS' : 'FAIL'}: ${passed}/${run.scenarios.length} scenarios, ${expectations.length - failed}/${expectations.length} expectations hold`;
  const ready = run.scenarios.length > 0 ? ` ready in ${run.stackReadySeconds}s` : '';
  return [
    verdict,
    `stack ${run.stack}${ready}; ${describeTimings(run)}; engine ${run.engine}`,
    `${expectations.length - failed} passed, ${failed} failed`,
  ].join('\n');
}
