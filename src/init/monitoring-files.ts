import { existsSync } from 'node:fs';
import path from 'node:path';
import { withRecordedWindows } from '../compile/recorded-windows.ts';
import { compileRuleFile, resolveRuleFiles, type CompiledRule } from '../compile/rule-files.ts';
import { recordingRules } from '../compile/recording-rules.ts';
import { asList, asMap, readYamlMap, type YamlMap } from '../compile/yaml-file.ts';
import { parseDurationMs } from '../duration.ts';
import { badInput } from '../errors.ts';

/** One scrape job as prometheus.yml declares it. */
export interface ScrapeJob {
  readonly name: string;
  readonly metricsPath: string;
  /** The port of its first static target, when it has one: a hint of what it scrapes (9100 is node_exporter). */
  readonly port: number | undefined;
  /** Its own scrape_interval, else the global one, else Prometheus' default (1m). */
  readonly scrapeIntervalMs: number;
}

/** What `init` reads: the user's own Prometheus config, rule files and Alertmanager config. */
export interface MonitoringFiles {
  readonly prometheus: string;
  readonly prometheusDoc: YamlMap;
  readonly alertmanager: string;
  readonly ruleFiles: readonly { readonly file: string; readonly doc: YamlMap }[];
  readonly jobs: readonly ScrapeJob[];
  readonly alerts: readonly CompiledRule[];
  /** Recording rule name -> its expression, to see through recorded series. */
  readonly records: ReadonlyMap<string, string>;
}

const PROMETHEUS_CANDIDATES = ['prometheus.yml', 'prometheus/prometheus.yml', 'monitoring/prometheus.yml', 'monitoring/prometheus/prometheus.yml'];
const ALERTMANAGER_CANDIDATES = ['alertmanager.yml', 'alertmanager/alertmanager.yml', 'monitoring/alertmanager.yml', 'monitoring/alertmanager/alertmanager.yml'];
// Prometheus' defaults for both.
const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
const DEFAULT_SCRAPE_INTERVAL_MS = 60_000;

/** Finds and reads the monitoring files; a missing one is an exit-2 error saying which flag names it. */
export function readMonitoringFiles(dir: string, given: { prometheus?: string; alertmanager?: string }): MonitoringFiles {
  const prometheus = locate(dir, given.prometheus, PROMETHEUS_CANDIDATES, '--prometheus');
  const alertmanager = locate(dir, given.alertmanager, [...ALERTMANAGER_CANDIDATES, ...ALERTMANAGER_CANDIDATES.map((c) => path.join(path.dirname(path.relative(dir, prometheus)), path.basename(c)))], '--alertmanager');
  const prometheusDoc = readYamlMap(prometheus);
  const global = asMap(prometheusDoc.global, 'global');
  const evaluationIntervalMs = global.evaluation_interval === undefined ? DEFAULT_EVALUATION_INTERVAL_MS : parseDurationMs(String(global.evaluation_interval), 'global.evaluation_interval');
  const scrapeIntervalMs = global.scrape_interval === undefined ? DEFAULT_SCRAPE_INTERVAL_MS : parseDurationMs(String(global.scrape_interval), 'global.scrape_interval');
  const ruleFiles = resolveRuleFiles(asList(prometheusDoc.rule_files, 'rule_files').map(String), prometheus).map((file) => ({ file, doc: readYamlMap(file) }));
  const compiledFiles = ruleFiles.map(({ file, doc }) => compileRuleFile(file, doc, 1, evaluationIntervalMs));
  // An alert over a recorded series reads that rule's windows too: its deadline and hold need them.
  const alerts = withRecordedWindows(compiledFiles.flatMap((f) => f.alerts), compiledFiles);
  const records = recordingRules(ruleFiles.map((f) => f.doc));
  const jobs = asList(prometheusDoc.scrape_configs, 'scrape_configs').map((raw): ScrapeJob => {
    const job = asMap(raw, 'scrape_configs[]');
    const target = asList(asMap(asList(job.static_configs, 'static_configs')[0], 'static_configs[0]').targets, 'targets')[0];
    const port = typeof target === 'string' ? Number(target.split(':').at(-1)) : undefined;
    const name = String(job.job_name);
    const interval = job.scrape_interval === undefined ? scrapeIntervalMs : parseDurationMs(String(job.scrape_interval), `scrape_configs[${name}].scrape_interval`);
    return { name, metricsPath: typeof job.metrics_path === 'string' ? job.metrics_path : '/metrics', port: Number.isFinite(port) ? port : undefined, scrapeIntervalMs: interval };
  });
  return { prometheus, prometheusDoc, alertmanager, ruleFiles, jobs, alerts, records };
}

function locate(dir: string, given: string | undefined, candidates: readonly string[], flag: string): string {
  if (given !== undefined) {
    const file = path.resolve(dir, given);
    if (!existsSync(file)) throw badInput(`${flag} ${given}: no such file`);
    return file;
  }
  const found = candidates.map((c) => path.resolve(dir, c)).find((c) => existsSync(c));
  if (!found) throw badInput(`no ${flag.slice(2)} config found (looked for ${candidates.slice(0, 4).join(', ')}); pass ${flag} <file>`);
  return found;
}
