// Runs exported functions of a shim-bundled k6 script in this (child) process, so that its
// synchronous HTTP never blocks the test process that hosts the fault controller.
// argv: <bundle.mjs> <JSON {env, calls: [{as, fn}]}>; prints JSON {results, checks, requests}.
import { pathToFileURL } from 'node:url';
import { runAs } from './execution.ts';
import { requests } from './http.ts';
import { checks } from './k6.ts';

const [bundle, input] = process.argv.slice(2) as [string, string];
const { env, calls } = JSON.parse(input) as { env: Record<string, string>; calls: { as: string; fn: string }[] };
(globalThis as { __ENV?: Record<string, string> }).__ENV = env;
const results: { as: string; fn: string; error?: string }[] = [];
try {
  const script = (await import(pathToFileURL(bundle).href)) as Record<string, () => void>;
  for (const call of calls) {
    runAs(call.as);
    try {
      script[call.fn]!();
      results.push(call);
    } catch (error) {
      results.push({ ...call, error: (error as Error).message });
    }
  }
} catch (error) {
  results.push({ as: '(init)', fn: '(init)', error: (error as Error).message });
}
process.stdout.write(JSON.stringify({ results, checks, requests }));
