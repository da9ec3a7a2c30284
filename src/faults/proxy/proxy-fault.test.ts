import { describe, expect, it } from 'vitest';
import { proxyFaultProblems } from './proxy-fault.ts';

describe('proxyFaultProblems', () => {
  it('passes every kind with good params', () => {
    const good: [string, Record<string, unknown>][] = [
      ['latency', { ms: 200 }],
      ['latency', { ms: 200, jitterMs: 200, ratio: 1 }],
      ['timeout', {}],
      ['timeout', { ratio: 0.1 }],
      ['reset', { ratio: 0.5 }],
      ['refuse', {}],
      ['bandwidth', { bytesPerSecond: 1 }],
    ];
    for (const [kind, params] of good) expect(proxyFaultProblems('tcp', kind, params), kind).toEqual([]);
    expect(proxyFaultProblems('http', 'http_status', { status: 599, ratio: 0.25 })).toEqual([]);
  });

  it('names every bad param, with what to write', () => {
    expect(proxyFaultProblems('tcp', 'latency', { ms: '200ms', jitterMs: -1, ratio: 1.5, extra: true })).toEqual([
      'params.extra: not a param of latency; write only ms, jitterMs, ratio',
      "params.ms: '200ms' is not a number of milliseconds > 0; write e.g. 200",
      'params.jitterMs: -1 is not a number of milliseconds >= 0; write e.g. 50',
      'params.ratio: 1.5 is not a share in (0, 1]; write e.g. 0.5 for half, or leave it out for all',
    ]);
    expect(proxyFaultProblems('tcp', 'latency', { ms: 100, jitterMs: 150 })).toEqual(['params.jitterMs: 150 is more than ms (100), so a delay could be negative; write at most 100']);
    expect(proxyFaultProblems('tcp', 'bandwidth', {})).toEqual(['params.bytesPerSecond: missing, bandwidth needs it; write e.g. bytesPerSecond: 65536']);
    expect(proxyFaultProblems('tcp', 'bandwidth', { bytesPerSecond: 0 })).toEqual(['params.bytesPerSecond: 0 is not a rate in bytes per second > 0; write e.g. 65536']);
    expect(proxyFaultProblems('tcp', 'refuse', { ratio: 0.5, toString: 1 })).toEqual(['params.ratio: not a param of refuse; write params: {}', 'params.toString: not a param of refuse; write params: {}']);
    expect(proxyFaultProblems('tcp', 'timeout', { ratio: Number.NaN })).toEqual(['params.ratio: NaN is not a share in (0, 1]; write e.g. 0.5 for half, or leave it out for all']);
    expect(proxyFaultProblems('http', 'http_status', { status: 503.5 })).toEqual(['params.status: 503.5 is not an HTTP error status; write an integer from 400 to 599, e.g. 503']);
    expect(proxyFaultProblems('http', 'http_status', { status: 302 })).toEqual(['params.status: 302 is not an HTTP error status; write an integer from 400 to 599, e.g. 503']);
  });

  it('refuses a kind the protocol does not have', () => {
    expect(proxyFaultProblems('tcp', 'http_status', { status: 503 })).toEqual(["kind: 'http_status' needs an http proxy, this one is tcp; write one of latency, timeout, reset, refuse, bandwidth"]);
    expect(proxyFaultProblems('http', 'packet_loss', {})).toEqual(["kind: 'packet_loss' is not a fault of the http proxy; write one of latency, timeout, reset, refuse, bandwidth, http_status"]);
  });
});
