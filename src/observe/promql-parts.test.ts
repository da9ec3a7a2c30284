import { describe, expect, it } from 'vitest';
import { counterWindows, valueAndThreshold } from './promql-parts.ts';

describe('valueAndThreshold', () => {
  it('drops the outermost comparison with a number, also inside a function, and says which way the alert fires', () => {
    expect(valueAndThreshold('(sum(rate(e[5m])) / sum(rate(t[5m]))) > 0.05')).toEqual({ value: '(sum(rate(e[5m])) / sum(rate(t[5m])))', threshold: '> 0.05', direction: 'above' });
    expect(valueAndThreshold('label_replace(r > 0.5, "s", "$1", "p", "(.+)")')).toEqual({ value: 'label_replace(r, "s", "$1", "p", "(.+)")', threshold: '> 0.5', direction: 'above' });
    expect(valueAndThreshold('sum(rate(m[10m])) < 2')).toMatchObject({ value: 'sum(rate(m[10m]))', direction: 'below' });
    expect(valueAndThreshold('2 > sum(rate(m[10m]))')).toMatchObject({ value: 'sum(rate(m[10m]))', threshold: '2 >', direction: 'below' });
    expect(valueAndThreshold('up{job="a"} == 0')).toMatchObject({ value: 'up{job="a"}', direction: 'below' });
    expect(valueAndThreshold('absent(up{job="a"})')).toEqual({ value: 'absent(up{job="a"})', threshold: '', direction: 'none' });
  });
});

describe('counterWindows', () => {
  it('finds every rate() and increase() over a range, with the grouping of the aggregation around it', () => {
    expect(counterWindows('sum(rate(a{x="1"}[5m])) by (p) / sum(increase(b[5m])) by (p) > 0.5 and irate(c[1m]) > 0')).toEqual([
      { selector: 'a{x="1"}', range: '5m', grouping: 'by (p)', aggregated: true },
      { selector: 'b', range: '5m', grouping: 'by (p)', aggregated: true },
    ]);
    expect(counterWindows('up == 0')).toEqual([]);
  });

  it('sees the aggregation through a product with a number, as a compiled count is', () => {
    expect(counterWindows('sum by (job) (((increase(e{code="500"}[7s500ms])) * 40)) > 20')).toEqual([{ selector: 'e{code="500"}', range: '7s500ms', grouping: 'by (job)', aggregated: true }]);
    // a product of two series is no aggregation of either, nor is a comparison with a number (a filter)
    expect(counterWindows('sum(rate(a[1m]) * on(p) b)').map((w) => w.aggregated)).toEqual([false]);
    expect(counterWindows('count(rate(e[5m]) > 0.1)').map((w) => w.aggregated)).toEqual([false]);
  });
});
