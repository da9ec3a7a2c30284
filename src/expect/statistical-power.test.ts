import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../compile/rule-files.ts';
import type { PrometheusClient } from '../observe/prometheus-client.ts';
import { checkPower, countsEvents, eventQuery, isCountRule } from './statistical-power.ts';

const rule = (scaledExpr: string): CompiledRule => ({ alertname: 'R', scaledExpr } as CompiledRule);
/** A Prometheus that answers each event query with the count given for it. */
const prometheus = (counts: Record<string, number | undefined>) =>
  ({ instant: async (query: string) => (counts[query] === undefined ? [] : [{ metric: {}, value: [0, String(counts[query])] }]) }) as unknown as PrometheusClient;

describe('statistical power', () => {
  it('counts the events of a window per counter: the +Inf bucket of a histogram, with the rule\'s grouping, the fewest group', () => {
    expect(eventQuery({ selector: 'h_bucket{job="a"}', range: '7s500ms', grouping: 'by (le)', aggregated: true })).toBe('min(sum by (le) (increase(h_bucket{job="a", le="+Inf"}[7s500ms])))');
    expect(eventQuery({ selector: 'req', range: '7s500ms', grouping: '', aggregated: true })).toBe('min(sum(increase(req[7s500ms])))');
    expect(eventQuery({ selector: 'c', range: '7s500ms', grouping: '', aggregated: false })).toBe('min(increase(c[7s500ms]))');
  });

  it('tells count rules (one counter) from ratios', () => {
    expect(isCountRule(rule('rate(c[7s500ms]) > 0.1'))).toBe(true);
    expect(isCountRule(rule('sum(rate(e[7s500ms])) / sum(rate(t[7s500ms])) > 0.05'))).toBe(false);
  });

  it('a ratio is judged on its population: enough at 150 requests a window', async () => {
    const ratio = rule('sum(rate(e[7s500ms])) / sum(rate(t[7s500ms])) > 0.05');
    const check = await checkPower(prometheus({ 'min(sum(increase(e[7s500ms])))': 0.3, 'min(sum(increase(t[7s500ms])))': 150 }), ratio, 40, 0);
    expect(check).toMatchObject({ alert: 'R', window: '5m', events: 150, enough: true, query: 'min(sum(increase(t[7s500ms])))' });
  });

  it('a window with too few events is flagged with the largest scale that would hold enough (a drill at 40 rps with 0.08% errors used to pass silently)', async () => {
    const thin = rule('sum(rate(e[15s])) / sum(rate(t[15s])) > 0.05');
    const check = await checkPower(prometheus({ 'min(sum(increase(e[15s])))': 0, 'min(sum(increase(t[15s])))': 6 }), thin, 20, 0);
    expect(check).toMatchObject({ events: 6, enough: false, largestScale: 6 });
  });

  it('no series at all is no data, not zero events', async () => {
    const check = await checkPower(prometheus({}), rule('rate(renamed[7s500ms]) > 0.1'), 40, 0);
    expect(check).toMatchObject({ events: null, enough: false, largestScale: null });
  });
});

describe('which counters count events', () => {
  it('requests, errors and operations do; seconds, bytes and sums accumulate amounts and do not', () => {
    expect(['http_requests_total{status=~"5.."}', 'node_disk_reads_completed_total', 'x_bucket{le="+Inf"}', 'x_seconds_count'].map(countsEvents)).toEqual([true, true, true, true]);
    expect(['node_cpu_seconds_total{mode="idle"}', 'node_network_receive_bytes_total', 'request_duration_seconds_sum', 'process_cpu_seconds_total'].map(countsEvents)).toEqual([false, false, false, false]);
  });
});
