import type { CompiledSystem } from '../compile/compile-system.ts';
import type { StackProviderName, StartedStack } from './started-stack.ts';

export type { StackProviderName } from './started-stack.ts';

export interface StackStartOptions {
  /** Keep the run directory (configs, logs, TSDB) after stop; by default only a failed start keeps it. */
  readonly keepRunDir?: boolean;
  /**
   * Wraps the CPU-heavy part of a start (spawning services until they answer), so that a pool
   * starting many stacks at once does not starve the ones already running drills.
   */
  readonly throttle?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Ends the start at once (Ctrl-C): every wait stops, everything started so far is stopped. */
  readonly signal?: AbortSignal;
  /**
   * Services and exporters whose scrapes pass through firedrill's scrape proxy, so that scrape
   * faults can reach them: those a drill faults on the scrape path, or 'all' (`firedrill up`).
   */
  readonly scrapeFaultTargets?: ReadonlySet<string> | 'all';
  /**
   * Traffic for the services once they answer, run while Prometheus starts and done before its
   * first scrape (see engine/warm-up.ts); the stack is ready only after it ended.
   */
  /**
   * TSDB blocks (promtool's backfill) that Prometheus starts with: every block directory in it is
   * moved into Prometheus' storage before Prometheus starts (native and containers providers).
   * A promise lets the rest of the stack start while the blocks are being written.
   */
  readonly tsdbBlocks?: string | Promise<string>;
  /** Told as soon as Prometheus answers queries (over `tsdbBlocks` too), before its targets are first scraped. */
  readonly onPrometheusServing?: (url: string) => void;
  readonly warmUp?: (serviceUrls: ReadonlyMap<string, string>, signal: AbortSignal) => Promise<void>;
}

/**
 * Where a system's stack runs: local processes, containers, or a stack someone else runs.
 * Whatever the provider, a started stack looks the same to engines, faults and verdicts.
 */
export interface StackProvider {
  readonly name: StackProviderName;
  /** What must hold before any stack starts (an engine, images), checked once: a one-line exit-2 error otherwise. */
  prepare?(): Promise<void>;
  start(compiled: CompiledSystem, options?: StackStartOptions): Promise<StartedStack>;
}
