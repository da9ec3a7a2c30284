import { badInput } from '../errors.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { asList, asMap, relativeName, type YamlMap } from './yaml-file.ts';

// Prometheus' own defaults, needed because an unset value must still be scaled.
const DEFAULT_SCRAPE_INTERVAL_MS = 60_000;
const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
export const DEFAULT_RESEND_DELAY_MS = 60_000;

export interface ScrapeJobTiming {
  readonly job: string;
  readonly scaledIntervalMs: number;
  readonly scaledTimeoutMs: number;
  /** Set when the job's target needs this long to answer and the scale would have cut its timeout below it. */
  readonly floorMs?: number;
}

/** A floored job's interval is this much longer than its timeout (Prometheus requires timeout <= interval). */
const FLOOR_INTERVAL_HEADROOM = 1.2;

export interface ScaledPrometheusConfig {
  readonly source: string;
  readonly doc: YamlMap;
  readonly jobs: readonly ScrapeJobTiming[];
  readonly scaledEvaluationIntervalMs: number;
}

/**
 * Divides global and per-job scrape interval/timeout and the evaluation interval by `scale`. A job
 * whose target needs a minimum time to answer (`timeoutFloorsMs`, wall milliseconds) keeps at
 * least that timeout and an interval just above it, whatever the scale.
 */
export function scalePrometheusConfig(file: string, doc: YamlMap, scale: number, timeoutFloorsMs: ReadonlyMap<string, number> = new Map()): ScaledPrometheusConfig {
  const where = relativeName(file);
  const global = { ...asMap(doc.global, `${where}: global`) };
  const ms = (value: unknown, fallback: number, field: string) =>
    value === undefined ? fallback : parseDurationMs(String(value), `${where}: ${field}`);

  const scrapeIntervalMs = ms(global.scrape_interval, DEFAULT_SCRAPE_INTERVAL_MS, 'global.scrape_interval');
  const scrapeTimeoutMs = ms(global.scrape_timeout, DEFAULT_SCRAPE_TIMEOUT_MS, 'global.scrape_timeout');
  const evaluationIntervalMs = ms(global.evaluation_interval, DEFAULT_EVALUATION_INTERVAL_MS, 'global.evaluation_interval');
  global.scrape_interval = formatDurationMs(scrapeIntervalMs / scale);
  global.scrape_timeout = formatDurationMs(Math.min(scrapeTimeoutMs, scrapeIntervalMs) / scale);
  global.evaluation_interval = formatDurationMs(evaluationIntervalMs / scale);

  const jobs: ScrapeJobTiming[] = [];
  const scrapeConfigs = asList(doc.scrape_configs, `${where}: scrape_configs`).map((raw, index) => {
    const job = { ...asMap(raw, `${where}: scrape_configs[${index}]`) };
    if (typeof job.job_name !== 'string') throw badInput(`${where}: scrape_configs[${index}].job_name is missing`);
    const at = `scrape_configs ${job.job_name}`;
    const intervalMs = ms(job.scrape_interval, scrapeIntervalMs, `${at}.scrape_interval`);
    // Prometheus caps an inherited timeout at the job's interval; make that explicit.
    const timeoutMs = Math.min(ms(job.scrape_timeout, scrapeTimeoutMs, `${at}.scrape_timeout`), intervalMs);
    const floorMs = timeoutFloorsMs.get(job.job_name) ?? 0;
    const scaledTimeoutMs = Math.max(timeoutMs / scale, floorMs);
    const scaledIntervalMs = Math.max(intervalMs / scale, Math.ceil(floorMs * FLOOR_INTERVAL_HEADROOM));
    job.scrape_interval = formatDurationMs(scaledIntervalMs);
    job.scrape_timeout = formatDurationMs(scaledTimeoutMs);
    jobs.push({ job: job.job_name, scaledIntervalMs, scaledTimeoutMs, ...(floorMs > timeoutMs / scale ? { floorMs } : {}) });
    return job;
  });

  return {
    source: file,
    doc: { ...doc, global, scrape_configs: scrapeConfigs },
    jobs,
    scaledEvaluationIntervalMs: evaluationIntervalMs / scale,
  };
}

export interface PrometheusWiring {
  readonly targets: ReadonlyMap<string, string>; // job -> host:port
  /** Probing jobs (blackbox_exporter): job -> probe target as written -> the URL probed instead. */
  readonly probeTargets?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly ignoredJobs: readonly string[];
  readonly alertmanager: string; // host:port
  readonly ruleFiles: readonly string[];
}

/**
 * Points every scrape job at its service on 127.0.0.1 and alerting at the run's Alertmanager.
 * Service discovery and remote storage are removed so nothing leaves the machine.
 */
export function wirePrometheusConfig(config: ScaledPrometheusConfig, wiring: PrometheusWiring): YamlMap {
  const where = relativeName(config.source);
  const scrapeConfigs = asList(config.doc.scrape_configs, where)
    .map((raw) => asMap(raw, where))
    .filter((job) => !wiring.ignoredJobs.includes(String(job.job_name)))
    .map((job) => {
      const target = wiring.targets.get(String(job.job_name));
      if (!target) {
        throw badInput(
          `${where}: scrape job '${job.job_name}' has no service or exporter; map it with job: '${job.job_name}' in firedrill.config.ts or list it in ignoreJobs`,
        );
      }
      const probes = wiring.probeTargets?.get(String(job.job_name));
      if (probes) return wireProbeJob(job, target, probes, where);
      const firstConfig = asList(job.static_configs, where).map((c) => asMap(c, where))[0];
      // The target as written keeps its instance label (Prometheus would take the run's port), so
      // alerts and dashboards see production's names, and history populate writes joins live data.
      const written = asList(firstConfig?.targets ?? [], where)[0];
      const labels = { ...(typeof written === 'string' ? { instance: written } : {}), ...asMap(firstConfig?.labels, where) };
      const wired: YamlMap = {};
      for (const [key, value] of Object.entries(job)) {
        if (!key.endsWith('_sd_configs') && key !== 'static_configs') wired[key] = value;
      }
      wired.static_configs = [{ targets: [target], ...(Object.keys(labels).length > 0 ? { labels } : {}) }];
      return wired;
    });
  const { remote_write: _rw, remote_read: _rr, ...rest } = config.doc;
  return {
    ...rest,
    rule_files: [...wiring.ruleFiles],
    // alert_relabel_configs stay: they shape the labels that routing and inhibition see.
    alerting: { ...asMap(rest.alerting, where), alertmanagers: [{ static_configs: [{ targets: [wiring.alertmanager] }] }] },
    scrape_configs: scrapeConfigs,
  };
}

/** A probe target as the user wrote it; Prometheus drops labels starting with __ after relabelling. */
const WRITTEN_TARGET_LABEL = '__firedrill_target';

/**
 * A probing job (blackbox_exporter) keeps its static configs, labels and relabelling: each probe
 * target becomes the URL probed on this machine, and the relabelling that sets `__address__` (the
 * exporter, in the multi-target pattern) points at the exporter's address here.
 */
export function wireProbeJob(job: YamlMap, exporterAddress: string, probes: ReadonlyMap<string, string>, where: string): YamlMap {
  const name = String(job.job_name);
  const discovery = Object.keys(job).find((key) => key.endsWith('_sd_configs'));
  if (discovery) throw badInput(`${where}: probing job '${name}' finds its targets through ${discovery}; list them in static_configs so that firedrill can map each to a service`);
  // One group per target, carrying the target as written: the standard rule that copies
  // __param_target into instance copies that instead, so probes keep production's instance.
  const staticConfigs = asList(job.static_configs, where).flatMap((raw) => {
    const config = asMap(raw, where);
    return asList(config.targets, where).map((t) => {
      const probed = probes.get(String(t));
      if (!probed) throw badInput(`${where}: job '${name}' probes '${t}', which no exporter's probes map to a service; add '${t}': '<service>' to its probes`);
      return { ...config, targets: [probed], labels: { ...asMap(config.labels, where), [WRITTEN_TARGET_LABEL]: String(t) } };
    });
  });
  let pointed = false;
  const relabel = asList(job.relabel_configs ?? [], where).map((raw) => {
    const rule = asMap(raw, where);
    const sources = rule.source_labels;
    if (rule.target_label === 'instance' && Array.isArray(sources) && sources.length === 1 && sources[0] === '__param_target') return { ...rule, source_labels: [WRITTEN_TARGET_LABEL] };
    if (rule.target_label !== '__address__') return rule;
    pointed = true;
    return { ...rule, replacement: exporterAddress };
  });
  if (!pointed) {
    throw badInput(`${where}: probing job '${name}' has no relabel_configs rule with target_label: __address__; send its scrapes to the exporter as blackbox_exporter's multi-target pattern does`);
  }
  return { ...job, static_configs: staticConfigs, relabel_configs: relabel };
}

/** A scrape config wired by wirePrometheusConfig whose targets Prometheus reads from files, and those files' contents. */
export interface TargetsInFiles {
  readonly config: YamlMap;
  /** file -> its target groups, in file_sd's JSON form. */
  readonly files: ReadonlyMap<string, readonly { targets: string[]; labels: Record<string, string> }[]>;
}

/**
 * Moves every scrape job's static targets into a file of its own, read by file_sd_configs: a
 * Prometheus started with this config scrapes nothing until the files are written, so it can start
 * (and run out its discovery tick) while the services warm up, and still scrape them only after.
 * Alerting keeps its static Alertmanager: it is up before Prometheus starts.
 */
export function targetsInFiles(config: YamlMap, fileOf: (index: number) => string): TargetsInFiles {
  const where = 'prometheus.yml';
  const files = new Map<string, { targets: string[]; labels: Record<string, string> }[]>();
  const scrapeConfigs = asList(config.scrape_configs, where).map((raw, index) => {
    const { static_configs: staticConfigs, ...job } = asMap(raw, where);
    const file = fileOf(index);
    files.set(
      file,
      asList(staticConfigs ?? [], where).map((group) => {
        const { targets, labels } = asMap(group, where);
        // file_sd wants strings where YAML may have read a number (a label value such as `1`).
        return { targets: asList(targets ?? [], where).map(String), labels: Object.fromEntries(Object.entries(asMap(labels, where)).map(([k, v]) => [k, String(v)])) };
      }),
    );
    return { ...job, file_sd_configs: [{ files: [file] }] };
  });
  return { config: { ...config, scrape_configs: scrapeConfigs }, files };
}
