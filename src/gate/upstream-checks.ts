import { scrapeTargets } from '../config/resolved-system.ts';
import { execFile } from 'node:child_process';
import { FiredrillError } from '../errors.ts';
import { settledInOrder } from '../settled-in-order.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCompiledSystem, type CompiledSystem } from '../compile/compile-system.ts';
import { relativeName } from '../compile/yaml-file.ts';
import { findCheckTools } from '../stack/binaries.ts';
import { goProgramEnv } from '../stack/go-program-env.ts';

/** One problem found before anything starts; `where` names the rule, route or field. */
export interface StaticFinding {
  readonly check: 'promtool check config' | 'promtool check rules' | 'amtool check-config' | 'rule lint' | 'metric contract' | 'alertname references';
  readonly file: string;
  readonly where: string;
  readonly message: string;
}

/** A checker's run: its exit status, or the signal that ended it, and what it printed. */
interface CheckerRun {
  readonly status: number | string;
  readonly output: string;
}

/** Runs a checker to its end; one that cannot start (missing, not executable, no process left) is the machine's problem, not the config's. */
function runChecker(command: string, args: readonly string[]): Promise<CheckerRun> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', env: goProgramEnv() }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code === 'string') {
        reject(new FiredrillError('ENVIRONMENT', `${path.basename(command)} could not run (${error.code}): ${error.message}; check that it is installed and runnable (npm run setup installs it)`));
        return;
      }
      const status = error === null ? 0 : (error.code ?? `killed by ${error.signal ?? 'a signal'}`);
      resolve({ status, output: `${stdout}\n${stderr}` });
    });
  });
}

interface Check {
  readonly check: StaticFinding['check'];
  readonly command: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly rename?: (text: string) => string;
}

/** Runs the checks at once (each is a process of its own; one after the other they took a second a system) and returns their findings in the checks' order. */
async function findingsOf(checks: readonly Check[]): Promise<StaticFinding[]> {
  const runs = await settledInOrder(checks.map((c) => runChecker(c.command, c.args)));
  return checks.flatMap((c, i) => {
    const run = runs[i]!;
    if (run.status === 0) return [];
    // Keep what the checker says is wrong, not its progress lines or closing summary.
    const lines = run.output
      .split('\n')
      .map((l) => (l.includes('FAILED:') ? l.slice(l.indexOf('FAILED:') + 'FAILED:'.length) : l).trim())
      .filter((l) => l && !/^(Checking|SUCCESS|amtool: error: failed to validate)/.test(l))
      .map(c.rename ?? ((t) => t));
    return [{ check: c.check, file: relativeName(c.file), where: '', message: lines.join('; ') || `exit ${run.status}` }];
  });
}

/**
 * promtool and amtool, as Prometheus and Alertmanager themselves would judge the config at start:
 * first on the user's own files (findings carry their lines), then, when those pass, on the copies
 * firedrill compiles (scaled and wired), named after the user's files: whatever either would refuse
 * is found before anything starts.
 */
export async function upstreamChecks(compiled: CompiledSystem): Promise<StaticFinding[]> {
  const tools = findCheckTools();
  const system = compiled.system;
  const findings = await findingsOf([
    { check: 'promtool check config', command: tools.promtool, args: ['check', 'config', '--syntax-only', system.prometheus], file: system.prometheus },
    ...compiled.ruleFiles.map((f): Check => ({ check: 'promtool check rules', command: tools.promtool, args: ['check', 'rules', f.source], file: f.source })),
    { check: 'amtool check-config', command: tools.amtool, args: ['check-config', system.alertmanager], file: system.alertmanager },
  ]);
  if (findings.length > 0) return findings;

  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-check-'));
  try {
    const scrapeAddresses = new Map(scrapeTargets(system).map((t, i) => [t.job, `127.0.0.1:${10_000 + i}`]));
    const written = writeCompiledSystem(compiled, { scrapeAddresses, alertmanagerPort: 9_093, sinkUrl: 'http://127.0.0.1:9/receivers' }, dir);
    const sources = new Map<string, string>([
      [written.prometheusConfig, system.prometheus],
      [written.alertmanagerConfig, system.alertmanager],
      ...compiled.ruleFiles.map((f, i) => [path.join(dir, 'rules', `${i}-${path.basename(f.source)}`), f.source] as [string, string]),
    ]);
    const rename = (text: string) => [...sources].reduce((t, [copy, source]) => t.replaceAll(copy, `${relativeName(source)} (as compiled)`), text);
    return await findingsOf([
      { check: 'promtool check config', command: tools.promtool, args: ['check', 'config', written.prometheusConfig], file: system.prometheus, rename },
      { check: 'amtool check-config', command: tools.amtool, args: ['check-config', written.alertmanagerConfig], file: system.alertmanager, rename },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The findings in one line each joined, naming file and checker: what `run`, `up` and `build` refuse with. */
export function describeFindings(findings: readonly StaticFinding[]): string {
  return findings.map((f) => `${f.file}${f.where ? `: ${f.where}` : ''}: ${f.message} (${f.check})`).join('; ');
}
