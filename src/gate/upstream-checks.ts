import { scrapeTargets } from '../config/resolved-system.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCompiledSystem, type CompiledSystem } from '../compile/compile-system.ts';
import { relativeName } from '../compile/yaml-file.ts';
import { findCheckTools } from '../stack/binaries.ts';

/** One problem found before anything starts; `where` names the rule, route or field. */
export interface StaticFinding {
  readonly check: 'promtool check config' | 'promtool check rules' | 'amtool check-config' | 'rule lint' | 'metric contract' | 'alertname references';
  readonly file: string;
  readonly where: string;
  readonly message: string;
}

/**
 * promtool and amtool, as Prometheus and Alertmanager themselves would judge the config at start:
 * first on the user's own files (findings carry their lines), then, when those pass, on the copies
 * firedrill compiles (scaled and wired), named after the user's files: whatever either would refuse
 * is found before anything starts.
 */
export function upstreamChecks(compiled: CompiledSystem): StaticFinding[] {
  const tools = findCheckTools();
  const system = compiled.system;
  const findings: StaticFinding[] = [];
  const tool = (check: StaticFinding['check'], command: string, args: string[], file: string, rename: (text: string) => string = (t) => t) => {
    const run = spawnSync(command, args, { encoding: 'utf8' });
    if (run.status === 0) return;
    // Keep what the checker says is wrong, not its progress lines or closing summary.
    const lines = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .map((l) => (l.includes('FAILED:') ? l.slice(l.indexOf('FAILED:') + 'FAILED:'.length) : l).trim())
      .filter((l) => l && !/^(Checking|SUCCESS|amtool: error: failed to validate)/.test(l))
      .map(rename);
    findings.push({ check, file: relativeName(file), where: '', message: lines.join('; ') || `exit ${run.status}` });
  };
  tool('promtool check config', tools.promtool, ['check', 'config', '--syntax-only', system.prometheus], system.prometheus);
  for (const file of compiled.ruleFiles.map((f) => f.source)) tool('promtool check rules', tools.promtool, ['check', 'rules', file], file);
  tool('amtool check-config', tools.amtool, ['check-config', system.alertmanager], system.alertmanager);
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
    tool('promtool check config', tools.promtool, ['check', 'config', written.prometheusConfig], system.prometheus, rename);
    tool('amtool check-config', tools.amtool, ['check-config', written.alertmanagerConfig], system.alertmanager, rename);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}

/** The findings in one line each joined, naming file and checker: what `run`, `up` and `build` refuse with. */
export function describeFindings(findings: readonly StaticFinding[]): string {
  return findings.map((f) => `${f.file}${f.where ? `: ${f.where}` : ''}: ${f.message} (${f.check})`).join('; ');
}
