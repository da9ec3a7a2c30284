/** One instrumented service that firedrill starts, scrapes and injects faults into. */
export interface ServiceConfig {
  /**
   * argv to start the service; it must listen on 127.0.0.1:$PORT. Relative paths resolve from the
   * config file. Give this or `compose`.
   */
  readonly command?: readonly string[];
  /**
   * On `--stack containers`: the image `command` runs in (host networking, the config's directory
   * mounted at its own path as the working directory), so that process faults act on a container;
   * a local process on the native stack. Needs `command`.
   */
  readonly image?: string;
  /** The service as it runs in production: a service of your compose file, run in a container. Give this or `command`. */
  readonly compose?: ComposeServiceConfig;
  /** The Prometheus `job_name` whose targets this service replaces. */
  readonly job: string;
  /** Path of the metrics endpoint; default `/metrics`. */
  readonly metricsPath?: string;
  /**
   * Path of the token-protected fault endpoint of a service that cooperates; `null` (the default
   * for a service that declares no `faults`) for one that knows nothing of firedrill.
   */
  readonly faultPath?: string | null;
  /**
   * Fault kinds the service's own fault endpoint implements. Scenarios are checked against it
   * before anything starts; process, scrape-path and dependency faults need no endpoint.
   */
  readonly faults?: readonly string[];
  /**
   * Environment of the process. `{{name}}` in a value becomes `127.0.0.1:<port>` of the fault proxy
   * in front of dependency `name` (also `{{name.host}}`, `{{name.port}}`), so the service reaches
   * the dependency through firedrill: `DATABASE_URL: 'postgres://postgres@{{db}}/shop'`.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A service of the user's own docker compose file. Each stack runs its own copy (its own compose
 * project, with the services it `depends_on`), its port published on a free port of 127.0.0.1
 * instead of the file's `ports`; process faults act on the container (docker kill, stop, pause,
 * restart), and `disconnect` takes it off its networks.
 */
export interface ComposeServiceConfig {
  /** The compose file, relative to the config file. */
  readonly file: string;
  /** The service's name in it. */
  readonly service: string;
  /** The port it listens on inside its container. */
  readonly port: number;
}

/** A real PostgreSQL (Debian's), started by firedrill on a loopback port with its data in the run directory. */
export interface PostgresDependency {
  readonly type: 'postgres';
  /** Databases created at start (owned by the `postgres` superuser, trust auth on loopback). */
  readonly databases?: readonly string[];
  /** SQL files run in order at start, each against the first database (or `postgres`). */
  readonly init?: readonly string[];
  /** Server settings (`-c name=value`), e.g. `{ shared_preload_libraries: 'pg_stat_statements' }`. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A real Redis (Debian's redis-server), started by firedrill on a loopback port, without persistence. */
export interface RedisDependency {
  readonly type: 'redis';
}

/** Something already listening on this machine that a service reaches over TCP: `127.0.0.1:<port>` only. */
export interface TcpDependency {
  readonly type: 'tcp';
  readonly address: string;
}

/** An upstream HTTP API: one of the system's services, or a `http://127.0.0.1:<port>` URL. */
export interface HttpDependency {
  readonly type: 'http';
  readonly service?: string;
  readonly url?: string;
}

export type DependencyConfig = PostgresDependency | RedisDependency | TcpDependency | HttpDependency;

/** A Debian exporter that firedrill starts and maps to a scrape job, like a service. */
export type ExporterConfig =
  | { readonly type: 'node'; readonly job: string; /** The simulated host it reads. */ readonly host: string }
  | { readonly type: 'postgres'; readonly job: string; readonly dependency: string; /** postgres_exporter `--extend.query-path` file. */ readonly queries?: string }
  | { readonly type: 'redis'; readonly job: string; readonly dependency: string }
  | {
      readonly type: 'blackbox';
      readonly job: string;
      /**
       * Each probe target as your prometheus.yml writes it (`http://core:8080/health`), and the
       * service it probes: firedrill probes that service on 127.0.0.1 with the same path, and points
       * the job's `__address__` relabelling at the exporter.
       */
      readonly probes: Readonly<Record<string, string>>;
      /** blackbox_exporter's config file (default: one `http_2xx` module, an HTTP GET expecting 2xx). */
      readonly modules?: string;
    };

/** A host that firedrill simulates for node_exporter: procfs files it writes, and a small real filesystem. */
export interface HostConfig {
  readonly cpus?: number;
  /** Memory size, e.g. `'8GiB'`. */
  readonly memory?: string;
}

/** A monitored system: its services and the Prometheus/Alertmanager config that watches them. */
export interface SystemConfig {
  readonly prometheus: string;
  readonly alertmanager: string;
  /** Expected metric families (used by the gate). */
  readonly contract?: string;
  /** A directory of Grafana dashboard JSON files: `firedrill dashboards check` runs every panel's queries. */
  readonly dashboards?: string;
  readonly services: Readonly<Record<string, ServiceConfig>>;
  /** What the services depend on, reached through firedrill's fault proxy. */
  readonly dependencies?: Readonly<Record<string, DependencyConfig>>;
  readonly exporters?: Readonly<Record<string, ExporterConfig>>;
  readonly hosts?: Readonly<Record<string, HostConfig>>;
  /** Scrape jobs in prometheus.yml that firedrill should drop instead of mapping to a service or exporter. */
  readonly ignoreJobs?: readonly string[];
  /** The system as someone else runs it (staging), for game days: `firedrill run --stack external`. */
  readonly external?: ExternalStackConfig;
}

/**
 * A running stack firedrill did not start and does not rewire: its Prometheus and Alertmanager
 * are read (rules, routes, alerts), its services get traffic in real time (scale 1), and faults
 * go through a fault controller on it. Nothing outside `allow` is ever touched.
 */
export interface ExternalStackConfig {
  /** Prometheus' URL, e.g. `http://127.0.0.1:9090`: its rules and alerts are read, never changed. */
  readonly prometheus: string;
  /** Alertmanager's URL: routes, inhibitions and alerts are read; with `--silence` firedrill adds (and removes) silences. */
  readonly alertmanager: string;
  /** Where each service of the system answers, `http://127.0.0.1:<port>`: the drills' traffic goes here. */
  readonly services: Readonly<Record<string, string>>;
  /** A firedrill fault controller on the stack (`firedrill up` prints one) and the environment variable holding its token. */
  readonly faults?: { readonly controller: string; readonly tokenEnv: string };
  /** Every URL a game day may send traffic or faults to (origins: `http://127.0.0.1:8080`); anything else is refused before anything starts. */
  readonly allow: readonly string[];
  /** Stop the drill, revert every fault and report it aborted as soon as one of these PromQL expressions returns a series. */
  readonly abortWhen?: readonly { readonly name: string; readonly expr: string }[];
  /** The longest a drill may run (e.g. `'15m'`, default 30m): a longer plan is refused, a drill still running then is aborted. */
  readonly maxDuration?: string;
  /**
   * Exact notification times: firedrill listens here (`127.0.0.1:<port>`) during the game day for a
   * copy of every notification, sent by a first route the team adds to the stack's Alertmanager:
   * `{ receiver: firedrill, continue: true }` with a webhook to `http://<listen>/`. `receiver` is
   * that route's receiver name (default `firedrill`): it is not counted as a receiver of any alert.
   */
  readonly webhook?: { readonly listen: string; readonly receiver?: string };
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
