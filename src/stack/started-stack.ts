import type { CompiledSystem } from '../compile/compile-system.ts';
import type { FiredrillError } from '../errors.ts';
import type { FaultController } from '../faults/fault-controller.ts';
import type { ReceivedNotification } from '../observe/webhook-sink.ts';
import type { ProcessUsage } from './process-usage.ts';

/** Where a stack runs: local processes, containers, or a stack someone else runs. */
export type StackProviderName = 'native' | 'containers' | 'external';

export interface StackHealth {
  readonly signal: AbortSignal;
  readonly failure: FiredrillError | undefined;
  /** One check of every component now, before verdicts are computed on what they observed. */
  check(): Promise<FiredrillError | undefined>;
}

/** Where a stack's notifications are seen: firedrill's webhook sink, or (external) Alertmanager's own routing. */
export interface NotificationSource {
  notifications(): readonly ReceivedNotification[];
}

/** A running stack, whatever provider started it. Stop it (or `await using` it) on every path. */
export interface StartedStack extends AsyncDisposable {
  readonly provider: StackProviderName;
  readonly compiled: CompiledSystem;
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Base URL on 127.0.0.1 of each service, by service name. */
  readonly serviceUrls: ReadonlyMap<string, string>;
  readonly faults: FaultController;
  readonly faultToken: string;
  readonly sink: NotificationSource;
  readonly runDir: string;
  /** Wall milliseconds from start to ready (targets up, rules loaded), not counting `queuedMs`. */
  readonly readyMs: number;
  /** Wall milliseconds the start waited for a pool's start-up slot. */
  readonly queuedMs: number;
  /**
   * Every component watched continuously: `signal` aborts within one poll interval of a crash or
   * a hang of anything the drill did not fault, and `failure` says what died, what was seen and
   * where its log is kept.
   */
  readonly health: StackHealth;
  /** CPU seconds and resident memory of the stack's own processes right now. */
  usage(): ProcessUsage;
  /** The main process of each running part (services, exporters, dependencies) by part name, as this host sees it; none on a stack firedrill did not start. */
  partPids(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}
