import path from 'node:path';
import type { ResolvedExporter } from '../../config/resolved-system.ts';
import { httpJson } from '../../observe/http-json.ts';
import type { Probe } from '../wait-for.ts';

// How an exporter is run, whether as a local process or in a container: the same arguments and
// environment on every provider, so that it reads and reports the same.

/** What an exporter reads, resolved to this stack's ports and files. */
export interface ExporterSource {
  /** node: the simulated host's flags (paths and collectors). */
  readonly nodeExporterArgs?: readonly string[];
  /** postgres: a DSN straight to the server. */
  readonly postgresDsn?: string;
  /** redis: the server's port. */
  readonly redisPort?: number;
  /** blackbox: its config file (the user's, or the default http_2xx module written into the run directory). */
  readonly blackboxConfig?: string;
  /** blackbox (required): how much sooner than the scrape timeout a probe gives up (blackboxTimeoutOffsetS). */
  readonly blackboxTimeoutOffsetS?: number;
}

/**
 * How much sooner than Prometheus' scrape timeout a probe gives up (blackbox_exporter's
 * `--timeout-offset`), seconds: its default 0.5 s, but never more than half the timeout. A probe
 * of a paused or restarting service hangs to its own timeout, and blackbox_exporter must still
 * answer before Prometheus gives up on the scrape: a scrape that fails leaves `probe_success`
 * absent, and an alert on `probe_success == 0` goes quiet instead of pending. Scheduling on a busy
 * machine is real time at any scale: with a 250 ms scaled timeout, 50 ms of room was too little
 * (an alert late by a second, and one that flapped during a restart); half the timeout is 125 ms.
 * Probes of a service on this machine answer in milliseconds.
 */
export function blackboxTimeoutOffsetS(scrapeTimeoutMs: number): number {
  return Math.min(0.5, scrapeTimeoutMs / 2 / 1000);
}

/** An exporter's command line and environment, the same for a local process and a container. */
export interface ExporterInvocation {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * Ready once its landing page answers: /metrics would wait on what it reads, and a restarted
 * exporter of a paused database must still count as up (its scrapes then fail, which is the
 * drill's point).
 */
export async function exporterLandingPage(port: number): Promise<Probe<true>> {
  const { status } = await httpJson('GET', `http://127.0.0.1:${port}/`, { timeoutMs: 2_000 });
  return status === 200 ? { value: true, seen: 'HTTP 200' } : { seen: `HTTP ${status}` };
}

export function exporterLogFile(runDir: string, exporter: Pick<ResolvedExporter, 'name'>): string {
  return path.join(runDir, `exporter-${exporter.name}.log`);
}

/** The files outside the run directory an exporter reads (a queries file, a blackbox config), which a container must see. */
export function exporterFiles(exporter: ResolvedExporter): string[] {
  return exporter.type === 'postgres' && exporter.queries ? [exporter.queries] : exporter.type === 'blackbox' && exporter.modules ? [exporter.modules] : [];
}

export function exporterInvocation(exporter: ResolvedExporter, source: ExporterSource, port: number): ExporterInvocation {
  const listen = `--web.listen-address=127.0.0.1:${port}`;
  switch (exporter.type) {
    case 'node':
      return { args: [listen, ...(source.nodeExporterArgs ?? [])], env: {} };
    case 'postgres':
      return {
        args: [listen, ...(exporter.queries ? [`--extend.query-path=${exporter.queries}`] : [])],
        env: { DATA_SOURCE_NAME: source.postgresDsn ?? '' },
      };
    case 'redis':
      return { args: [listen, `--redis.addr=redis://127.0.0.1:${source.redisPort}`], env: {} };
    case 'blackbox':
      // Its own default offset (0.5 s) is longer than a scaled scrape timeout: never leave it to that.
      if (source.blackboxTimeoutOffsetS === undefined) throw new Error(`exporter ${exporter.name}: blackbox_exporter started without a timeout offset for its job's scaled scrape timeout`);
      return { args: [listen, `--config.file=${source.blackboxConfig}`, `--timeout-offset=${source.blackboxTimeoutOffsetS}`], env: {} };
  }
}
