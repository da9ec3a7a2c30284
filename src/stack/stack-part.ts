/**
 * What runs a part of a stack (Prometheus, Alertmanager, a service, an exporter, a database): a
 * local process, or a container followed by a local process. Everything the stack asks of it while
 * starting and watching.
 */
export interface PartProcess {
  readonly spec: { readonly name: string; readonly logFile: string };
  /** The process the port belongs to (a container's main process, seen from this host). */
  readonly pid: number | undefined;
  readonly running: boolean;
  troubleStory(): string | undefined;
  unexpectedExit(): string | undefined;
  unexpectedTrouble(): string | undefined;
  ownsPort(port: number): boolean;
  stop(): Promise<void>;
}

/**
 * A part of a system on a fixed port of 127.0.0.1 that process faults can kill, stop, pause and
 * start again: a local process (services, exporters, managed dependencies) or a container (a
 * service from the user's compose file, an exporter on the containers stack).
 */
export interface StackPart {
  /** `service api`, `postgres db`: how logs and errors name it. */
  readonly name: string;
  readonly port: number;
  /** What runs now, for its log, its trouble and its CPU; undefined before the first start. */
  readonly process: PartProcess | undefined;
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
