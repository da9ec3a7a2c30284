import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ResolvedSystem } from '../config/load-config.ts';
import { scrapeTargets } from '../config/resolved-system.ts';
import { badInput } from '../errors.ts';
import { scaleAlertmanagerConfig, wireAlertmanagerConfig, type ScaledAlertmanagerConfig } from './alertmanager-config.ts';
import { DEFAULT_RESEND_DELAY_MS, scalePrometheusConfig, targetsInFiles, wirePrometheusConfig, type ScaledPrometheusConfig } from './prometheus-config.ts';
import { asList, readYamlMap, relativeName, type YamlMap } from './yaml-file.ts';
import { formatDurationMs } from '../duration.ts';
import { withRecordedWindows } from './recorded-windows.ts';
import { compileRuleFile, resolveRuleFiles, type CompiledRule, type CompiledRuleFile } from './rule-files.ts';
import { largestScaleAbove, MIN_SCALED_INTERVAL_MS, scaleProblems, type ScaledTimings } from './scale-safety.ts';
import { fixedLabels } from './rule-of-series.ts';
import { labelsAgree } from '../labels-match.ts';

/**
 * The automatic scale keeps every interval at or above this. At 250 ms (scale 40 for the Piyasa
 * fixture) with 18 stacks at once on 2 cores, every alert went firing exactly `for` after pending
 * (timing error 0 ms, `npm run bench`), so auto uses the safety floor itself.
 */
export const AUTO_SCALE_FLOOR_MS = MIN_SCALED_INTERVAL_MS;
export const MAX_AUTO_SCALE = 60;

/** A system's monitoring config with every timing divided by the scale, not yet wired to ports. */
export interface CompiledSystem {
  readonly system: ResolvedSystem;
  readonly scale: number;
  readonly prometheus: ScaledPrometheusConfig;
  readonly ruleFiles: readonly CompiledRuleFile[];
  readonly alertmanager: ScaledAlertmanagerConfig;
  readonly alerts: readonly CompiledRule[];
  /** The slowest scaled scrape interval across jobs, wall milliseconds. */
  readonly scrapeIntervalMs: number;
  readonly evaluationIntervalMs: number;
  readonly resendDelayMs: number;
}

export type ScaleRequest = number | 'auto';

/**
 * Edits of the user's documents (rule time, before scaling), as if the user had changed the files:
 * regressions for mutation tests and negative controls. Every derived figure (windows, `for`,
 * history, detection bounds) sees the edited config.
 */
export interface CompiledMutations {
  readonly prometheus?: (doc: YamlMap) => YamlMap;
  readonly ruleFile?: (doc: YamlMap, source: string) => YamlMap;
  readonly alertmanager?: (doc: YamlMap) => YamlMap;
}

/** The user's documents, read once and edited by the mutations; compiling never modifies them. */
export interface SourceDocs {
  readonly prometheus: YamlMap;
  readonly ruleFiles: readonly { readonly file: string; readonly doc: YamlMap }[];
  readonly alertmanager: YamlMap;
}

/** Compiles at the requested scale ('auto': the largest that keeps intervals >= the auto floor); refuses unsafe scales. */
export function compileSystem(system: ResolvedSystem, requested: ScaleRequest, mutations: CompiledMutations = {}): CompiledSystem {
  if (requested !== 'auto' && (!Number.isFinite(requested) || requested < 1)) {
    throw badInput(`--scale: ${requested} is not a scale; use a number >= 1 or 'auto'`);
  }
  const sources = readSources(system, mutations);
  const atOne = compileAt(system, sources, 1);
  const scale = requested === 'auto' ? largestScaleAbove(timingsOf(atOne), AUTO_SCALE_FLOOR_MS, MAX_AUTO_SCALE) : requested;
  const compiled = scale === 1 ? atOne : compileAt(system, sources, scale);
  const problems = scaleProblems(timingsOf(compiled));
  if (problems.length > 0) throw badInput(`system ${system.name}: ${problems.join('; ')}`);
  return compiled;
}

/**
 * A system compiled at scale 1 from documents read elsewhere than its files: a running stack's
 * own rules, Prometheus config and Alertmanager config (`--stack external`).
 */
export function compileLiveSystem(system: ResolvedSystem, sources: SourceDocs): CompiledSystem {
  return compileAt(system, sources, 1);
}

function readSources(system: ResolvedSystem, mutations: CompiledMutations): SourceDocs {
  const same = (doc: YamlMap) => doc;
  const prometheus = (mutations.prometheus ?? same)(readYamlMap(system.prometheus));
  const patterns = asList(prometheus.rule_files, `${relativeName(system.prometheus)}: rule_files`).map(String);
  return {
    prometheus,
    ruleFiles: resolveRuleFiles(patterns, system.prometheus).map((file) => ({ file, doc: mutations.ruleFile ? mutations.ruleFile(readYamlMap(file), file) : readYamlMap(file) })),
    alertmanager: (mutations.alertmanager ?? same)(readYamlMap(system.alertmanager)),
  };
}

/**
 * Tiers of one alertname may differ in `for`, windows and group (a warning after 5m, a critical
 * after 15m) when their rules' fixed labels tell their series apart (rule-of-series.ts): each
 * verdict then reads its own tier's timing. Two rules of a name that differ in any timing a
 * verdict reads (`for`, longest window, `keep_firing_for`, evaluation interval) and that no label
 * tells apart cannot be told apart by any series: whichever rule a verdict read, it could be the
 * other's timing, and a detection bound an hour wide where the rule's window is 5m passes a late one.
 */
function refuseUntoldTimings(alerts: readonly CompiledRule[]): void {
  for (const [index, alert] of alerts.entries()) {
    const other = alerts.slice(0, index).find((o) => o.alertname === alert.alertname && timingOf(o) !== timingOf(alert) && labelsAgree(fixedLabels(o), fixedLabels(alert)));
    if (!other) continue;
    const where = (rule: CompiledRule) => `${relativeName(rule.file)} group ${rule.group}: for ${formatDurationMs(rule.forMs)}, longest window ${formatDurationMs(rule.longestRangeMs)}`;
    const also = other.forMs === alert.forMs && other.longestRangeMs === alert.longestRangeMs ? ', and their keep_firing_for or evaluation interval differ' : '';
    throw badInput(
      `alert ${alert.alertname}: defined twice with different timing (${where(other)}; ${where(alert)}${also}) and no label that tells their series apart; give each tier a label of its own value (severity: warning / critical), or one timing`,
    );
  }
}

/** What a verdict reads of a rule's timing, as one comparable value. */
function timingOf(rule: CompiledRule): string {
  return JSON.stringify([rule.scaledForMs, rule.longestRangeMs, rule.scaledKeepFiringForMs, rule.scaledEvaluationIntervalMs]);
}

function compileAt(system: ResolvedSystem, sources: SourceDocs, scale: number): CompiledSystem {
  const prometheus = scalePrometheusConfig(system.prometheus, sources.prometheus, scale, scrapeTimeoutFloors(system));
  const ruleFiles = sources.ruleFiles.map(({ file, doc }) => compileRuleFile(file, doc, scale, prometheus.scaledEvaluationIntervalMs));
  const alerts = withRecordedWindows(ruleFiles.flatMap((f) => f.alerts), ruleFiles);
  refuseUntoldTimings(alerts);
  return {
    system,
    scale,
    prometheus,
    ruleFiles,
    alertmanager: scaleAlertmanagerConfig(system.alertmanager, sources.alertmanager, scale),
    alerts,
    scrapeIntervalMs: Math.max(...scrapedJobs(prometheus, system).map((j) => j.scaledIntervalMs)),
    evaluationIntervalMs: prometheus.scaledEvaluationIntervalMs,
    resendDelayMs: DEFAULT_RESEND_DELAY_MS / scale,
  };
}

/** Wall milliseconds each job's target needs to answer at worst, where that is known. */
function scrapeTimeoutFloors(system: ResolvedSystem): Map<string, number> {
  return new Map(scrapeTargets(system).flatMap((t) => (t.minScrapeTimeoutMs === undefined ? [] : [[t.job, t.minScrapeTimeoutMs] as [string, number]])));
}

/** Jobs that stay in the compiled config: ignored jobs do not constrain the scale. */
function scrapedJobs(prometheus: ScaledPrometheusConfig, system: ResolvedSystem) {
  return prometheus.jobs.filter((j) => !(system.ignoreJobs ?? []).includes(j.job));
}

function timingsOf(c: CompiledSystem): ScaledTimings {
  return {
    scale: c.scale,
    jobs: scrapedJobs(c.prometheus, c.system),
    scaledEvaluationIntervalMs: c.evaluationIntervalMs,
    scaledResendDelayMs: c.resendDelayMs,
    groups: c.ruleFiles.flatMap((f) => f.groups),
    alerts: c.alerts,
    routeTimings: c.alertmanager.timings,
  };
}

export interface SystemWiring {
  /** `127.0.0.1:<port>` Prometheus scrapes for each job of a service or exporter. */
  readonly scrapeAddresses: ReadonlyMap<string, string>;
  /** For each probing job: each probe target as prometheus.yml writes it, and the URL probed instead. */
  readonly probeTargets?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly alertmanagerPort: number;
  readonly sinkUrl: string;
}

export interface WrittenConfig {
  readonly prometheusConfig: string;
  readonly alertmanagerConfig: string;
}

/** Writes the compiled Prometheus config, rule files and Alertmanager config into `dir`. */
export function writeCompiledSystem(compiled: CompiledSystem, wiring: SystemWiring, dir: string): WrittenConfig {
  return { alertmanagerConfig: writeAlertmanagerConfig(compiled, wiring.sinkUrl, dir), prometheusConfig: writePrometheusConfig(compiled, wiring, dir) };
}

/** The compiled Alertmanager config, every receiver pointed at the sink: all Alertmanager needs to start. */
export function writeAlertmanagerConfig(compiled: CompiledSystem, sinkUrl: string, dir: string): string {
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(wireAlertmanagerConfig(compiled.alertmanager, sinkUrl)));
  return file;
}

/** The compiled rule files and Prometheus config, scraping each job at its address: written once the targets have ports. */
export function writePrometheusConfig(compiled: CompiledSystem, wiring: PrometheusConfigWiring, dir: string): string {
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(wiredPrometheusConfig(compiled, wiring, dir)));
  return file;
}

/**
 * The same config, its scrape targets in files Prometheus watches (file_sd) and `publishTargets`
 * to write them: until then Prometheus runs, evaluates its rules and finds Alertmanager, but
 * scrapes nothing. A stack starts Prometheus while its services warm up this way, so its 5 s
 * discovery tick runs out beside the warm-up instead of after it.
 */
export function writePrometheusConfigTargetsLater(compiled: CompiledSystem, wiring: PrometheusConfigWiring, dir: string): { file: string; publishTargets: () => void } {
  const targetsDir = path.join(dir, 'targets');
  mkdirSync(targetsDir, { recursive: true });
  const { config, files } = targetsInFiles(wiredPrometheusConfig(compiled, wiring, dir), (index) => path.join(targetsDir, `${index}.json`));
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  const publishTargets = () => {
    for (const [target, groups] of files) {
      // Renamed into place: file_sd must never read a half-written file.
      writeFileSync(`${target}.tmp`, JSON.stringify(groups));
      renameSync(`${target}.tmp`, target);
    }
  };
  return { file, publishTargets };
}

type PrometheusConfigWiring = Pick<SystemWiring, 'scrapeAddresses' | 'probeTargets' | 'alertmanagerPort'>;

function wiredPrometheusConfig(compiled: CompiledSystem, wiring: PrometheusConfigWiring, dir: string): YamlMap {
  mkdirSync(path.join(dir, 'rules'), { recursive: true });
  const ruleFiles = compiled.ruleFiles.map((file, index) => {
    const out = path.join(dir, 'rules', `${index}-${path.basename(file.source)}`);
    writeFileSync(out, stringify(file.doc));
    return out;
  });
  return wirePrometheusConfig(compiled.prometheus, {
    targets: wiring.scrapeAddresses,
    probeTargets: wiring.probeTargets ?? new Map(),
    ignoredJobs: compiled.system.ignoreJobs ?? [],
    alertmanager: `127.0.0.1:${wiring.alertmanagerPort}`,
    ruleFiles,
  });
}
