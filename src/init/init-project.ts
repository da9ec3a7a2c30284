import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '../errors.ts';
import { lintRules } from '../gate/rule-lint/lint-rules.ts';
import type { LintFinding } from '../gate/rule-lint/lint-finding.ts';
import { guessFault } from './guess-fault.ts';
import { readMonitoringFiles } from './monitoring-files.ts';
import { renderBaseline, renderConfig, renderDrill, type ProjectFile } from './render-project.ts';
import { routeReceivers } from './route-receivers.ts';
import { planParts } from './system-parts-plan.ts';

export interface InitOptions {
  readonly dir: string;
  readonly prometheus?: string;
  readonly alertmanager?: string;
  readonly system?: string;
  readonly force?: boolean;
}

export interface InitOutcome {
  readonly written: readonly ProjectFile[];
  readonly findings: readonly LintFinding[];
  /** Alerts whose drill has no fault yet, and services without a command. */
  readonly todos: readonly string[];
}

/**
 * Reads the user's monitoring files and writes firedrill.config.ts (one part per scrape job), a
 * baseline and one drill per alert expecting the receiver Alertmanager's routing tree picks; lints
 * the rules. Everything is checked and rendered before the first file is written.
 */
export function initProject(options: InitOptions): InitOutcome {
  const dir = path.resolve(options.dir);
  const files = readMonitoringFiles(dir, options);
  const system = options.system ?? systemName(dir);
  if (!/^[a-z][a-z0-9-]*$/.test(system)) throw badInput(`--system ${system}: system names are lower-case words joined by dashes`);
  const parts = planParts(files.jobs);
  const drills = files.alerts.map((alert) => ({
    alert,
    tiers: files.alerts.filter((a) => a.alertname === alert.alertname),
    receivers: routeReceivers(files.alertmanager, { ...alert.labels, alertname: alert.alertname }),
    fault: guessFault(alert, parts, files.records),
  }));
  const written = [
    renderConfig({ system, dir, prometheus: files.prometheus, alertmanager: files.alertmanager, parts }),
    renderBaseline(system, files.alerts, parts),
    ...drills.map((d) => renderDrill(system, d, parts)),
  ];
  const existing = written.filter((f) => existsSync(path.join(dir, f.path)));
  if (existing.length > 0 && !options.force) {
    throw badInput(`init would overwrite ${existing.map((f) => f.path).join(', ')}; move them away or pass --force`);
  }
  for (const file of written) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.text);
  }
  const findings = lintRules({ projectDir: dir, prometheusFile: path.relative(dir, files.prometheus), prometheusDoc: files.prometheusDoc, ruleFiles: files.ruleFiles.map((f) => ({ file: path.relative(dir, f.file), doc: f.doc })) });
  const todos = [
    ...parts.filter((p) => p.kind === 'service').map((p) => `firedrill.config.ts: the command of service '${p.name}' (job ${p.job.name})`),
    ...drills.filter((d) => !d.fault).map((d) => `scenarios/${path.basename(renderDrill(system, d, parts).path)}: the fault that sets off ${d.alert.alertname}`),
  ];
  return { written, findings, todos };
}

function systemName(dir: string): string {
  const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(name) ? name : 'app';
}
