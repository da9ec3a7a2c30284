import { describe, expect, it } from 'vitest';
import type { RangeSeries } from './prometheus-client.ts';
import { matchTimeouts } from './timed-out-scrapes.ts';

const series = (job: string, values: [number, string][]): RangeSeries => ({ metric: { job, instance: `${job}:8080` }, values });

describe('matchTimeouts', () => {
  const timeoutOf = (job: string) => (job === 'api' ? 250 : undefined);

  it('finds each failed scrape that took its whole timeout, by the timestamp it shares with its duration', () => {
    const up = [series('api', [[100, '1'], [100.375, '0'], [100.75, '0'], [101.125, '1']])];
    const took = [series('api', [[100, '0.004'], [100.375, '0.251'], [100.75, '0.25'], [101.125, '0.003']])];
    expect(matchTimeouts('scrape', up, took, timeoutOf)).toEqual([
      { what: 'scrape', job: 'api', instance: 'api:8080', atMs: 100_375, durationMs: 251, timeoutMs: 250 },
      { what: 'scrape', job: 'api', instance: 'api:8080', atMs: 100_750, durationMs: 250, timeoutMs: 250 },
    ]);
  });

  it('leaves out a fast failure (a refused connection, a 500), a slow success, and jobs it has no timeout for', () => {
    const up = [series('api', [[100, '0'], [100.375, '1']]), series('other', [[100, '0']])];
    const took = [series('api', [[100, '0.002'], [100.375, '0.249']]), series('other', [[100, '9']])];
    expect(matchTimeouts('scrape', up, took, timeoutOf)).toEqual([]);
  });

  it('does not pair a failure with the duration of another scrape or another target', () => {
    const up = [series('api', [[100.375, '0']])];
    const took = [series('api', [[100, '0.3']]), { metric: { job: 'api', instance: 'other:1' }, values: [[100.375, '0.3']] } as RangeSeries];
    expect(matchTimeouts('scrape', up, took, timeoutOf)).toEqual([]);
  });

  it('tells apart two targets that share a job and an instance, by the labels relabelling gave them', () => {
    // One blackbox target probed with two modules: only the tcp probe ran out its time.
    const probe = (module: string, values: [number, string][]): RangeSeries => ({ metric: { __name__: 'x', job: 'api', instance: 'db:5432', module }, values });
    const success = [probe('tcp', [[100, '0']]), probe('icmp', [[100, '0']])];
    const took = [probe('tcp', [[100, '0.26']]), probe('icmp', [[100, '0.001']])];
    expect(matchTimeouts('probe', success, took, timeoutOf)).toEqual([{ what: 'probe', job: 'api', instance: 'db:5432', atMs: 100_000, durationMs: 260, timeoutMs: 250 }]);
    // Listed the other way round, the same: no series stands in for another.
    expect(matchTimeouts('probe', success, [...took].reverse(), timeoutOf)).toHaveLength(1);
  });
});
