// How the k6 engine hands a run to the k6 binary: the fault token must travel in the environment,
// never on the command line, where any local user can read it from /proc/<pid>/cmdline. A stand-in
// binary records what it was given (this checks the hand-over, not k6; no k6 can be installed here).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { K6_ENV } from '../k6/k6-env.ts';
import { K6Engine } from './k6-engine.ts';

describe('the k6 engine', () => {
  it('passes the stack and the token to k6 through its environment, never its arguments', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-k6-standin-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const record = path.join(dir, 'record.json');
    const standIn = path.join(dir, 'k6');
    writeFileSync(
      standIn,
      `#!${process.execPath}
const fs = require('node:fs');
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }));
fs.writeFileSync(process.env.${K6_ENV.summaryFile}, JSON.stringify({ requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] }));
`,
    );
    chmodSync(standIn, 0o755);
    const token = 'a-secret-token-of-this-run';
    const plan = { name: 'p', system: 'piyasa', scale: 40, historyS: 0, durationS: 1, streams: [], faultCalls: [] };
    await new K6Engine(standIn).run(plan, { serviceUrls: { api: 'http://127.0.0.1:1' }, faults: { url: 'http://127.0.0.1:2', token } }, { signal: new AbortController().signal, live: { requests: 0, failures: 0 } });
    const seen = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; env: Record<string, string> };
    expect(seen.argv.join(' ')).not.toContain(token);
    expect(seen.argv[0]).toBe('run');
    expect(seen.env[K6_ENV.faultToken]).toBe(token);
    expect(seen.env[K6_ENV.faultUrl]).toBe('http://127.0.0.1:2');
    expect(JSON.parse(seen.env[K6_ENV.targets]!)).toEqual({ api: 'http://127.0.0.1:1' });
  });
});
