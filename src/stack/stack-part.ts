import type { MonitoringProcess } from './monitoring-launcher.ts';

/**
 * A part of a system on a fixed port of 127.0.0.1 that process faults can kill, stop, pause and
 * start again: a local process (services, exporters, managed dependencies) or a container (a
 * service from the user's compose file).
 */
export interface StackPart {
  /** `service api`, `postgres db`: how logs and errors name it. */
  readonly name: string;
  readonly port: number;
  /** What runs now, for its log, its trouble and its CPU; undefined before the first start. */
  readonly process: MonitoringProcess | undefined;
  readonly running: boolean;
  /** Bumped on every start: state held in the part (a cooperating service's faults) dies with it. */
  readonly generation: number;
  /** Starts it and waits until it answers; `signal` ends the wait at once. */
  start(signal?: AbortSignal): Promise<void>;
  /** A crash: SIGKILL to it and everything in it. */
  kill(): void;
  /** Freezes it: requests, scrapes and queries hang. */
  pause(): void | Promise<void>;
  resume(): void | Promise<void>;
  waitExited(): Promise<void>;
  /** A clean shutdown: the `stop` fault, and the end of the stack. */
  stop(): Promise<void>;
}
