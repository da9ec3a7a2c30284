/** One instrumented service that firedrill starts, scrapes and injects faults into. */
export interface ServiceConfig {
  /** argv to start the service; it must listen on 127.0.0.1:$PORT. Relative paths resolve from the config file. */
  readonly command: readonly string[];
  /** The Prometheus `job_name` whose targets this service replaces. */
  readonly job: string;
  /** Path of the metrics endpoint; default `/metrics`. */
  readonly metricsPath?: string;
  /** Path of the token-protected fault endpoint; default `/__fault`. Omit faults by setting `null`. */
  readonly faultPath?: string | null;
  /**
   * App-level fault kinds the fault endpoint implements. Scenarios are checked against it before
   * anything starts; kill, pause and restart are always available.
   */
  readonly faults?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** A monitored system: its services and the Prometheus/Alertmanager config that watches them. */
export interface SystemConfig {
  readonly prometheus: string;
  readonly alertmanager: string;
  /** Expected metric families (used by the gate). */
  readonly contract?: string;
  readonly services: Readonly<Record<string, ServiceConfig>>;
  /** Scrape jobs in prometheus.yml that firedrill should drop instead of mapping to a service. */
  readonly ignoreJobs?: readonly string[];
}

export interface FiredrillConfig {
  readonly systems: Readonly<Record<string, SystemConfig>>;
  /** Directory holding scenario files (`*.ts`, each with a default export from `defineScenario`). */
  readonly scenarios: string;
}

/**
 * Typed identity for `firedrill.config.ts`.
 * @example export default defineConfig({ systems: { shop: { ... } }, scenarios: 'scenarios' })
 */
export function defineConfig(config: FiredrillConfig): FiredrillConfig {
  return config;
}
