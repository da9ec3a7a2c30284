import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { FiredrillError } from '../errors.ts';
import { listenerInodes, listensOn } from './port-owner.ts';
import { trackChild } from './process-registry.ts';
import { signalTree } from './process-tree.ts';

const TAIL_LINES = 20;
/** How long a process gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** What asks it to shut down cleanly; default SIGTERM (PostgreSQL: SIGINT, its fast shutdown). */
  readonly stopSignal?: NodeJS.Signals;
}

/** A child process whose output is kept (log file plus last lines) and that can be stopped or killed. */
export class ManagedProcess {
  readonly #child: ChildProcess;
  readonly #log: WriteStream;
  readonly #tail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #expectedExit = false;
  #pausedOnPurpose = false;

  constructor(readonly spec: ProcessSpec) {
    this.#log = createWriteStream(spec.logFile, { flags: 'a' });
    // A log that cannot be written (its run directory removed while a container's log follower
    // still runs) loses lines, never the run: an unhandled 'error' event would end the process.
    this.#log.on('error', () => undefined);
    this.#child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    trackChild(this.#child);
    const keep = (chunk: Buffer) => {
      this.#log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.#tail.push(line);
        if (this.#tail.length > TAIL_LINES) this.#tail.shift();
      }
    };
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.#child.once('error', (error) => {
        this.#tail.push(`spawn failed: ${error.message}`);
        resolve({ code: null, signal: null });
      });
      this.#child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then(() => this.#log.end());
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null && this.#child.pid !== undefined;
  }

  /** Why the process is gone, in one line with its last log line, or undefined while it runs or after a deliberate stop. */
  exitStory(): string | undefined {
    if (this.running || this.#expectedExit) return undefined;
    const how = this.#child.signalCode ? `signal ${this.#child.signalCode}` : this.#child.exitCode === null ? 'it never started' : `code ${this.#child.exitCode}`;
    const last = this.#tail.at(-1);
    return `exited (${how})${last ? `; last line: ${last.trim()}` : ''}`;
  }

  /**
   * When the process is stopped (SIGSTOP, a debugger) and nobody here stopped it: it can answer
   * nothing, so it is hung now, without waiting for a request to time out.
   */
  stopStory(): string | undefined {
    if (!this.running || this.#pausedOnPurpose || this.pid === undefined) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state === 'T' || state === 't' ? 'is stopped (SIGSTOP or a debugger): it answers nothing' : undefined;
    } catch {
      return undefined;
    }
  }

  /** What is wrong with it, dead or stopped, in one line; undefined while it runs normally. */
  troubleStory(): string | undefined {
    return this.exitStory() ?? this.stopStory();
  }

  /** `<name> exited (...)`, or undefined while it runs or after a deliberate stop. */
  unexpectedExit(): string | undefined {
    const story = this.exitStory();
    return story === undefined ? undefined : `${this.spec.name} ${story}`;
  }

  /** `<name> exited (...)` or `<name> is stopped ...`: what ends a wait for it at once. */
  unexpectedTrouble(): string | undefined {
    const story = this.troubleStory();
    return story === undefined ? undefined : `${this.spec.name} ${story}`;
  }

  /** True when this process (or a child of it) is the one listening on `port`. */
  ownsPort(port: number): boolean {
    return this.pid !== undefined && this.running && listensOn(port, this.pid);
  }

  lastLines(): string[] {
    return [...this.#tail];
  }

  /**
   * Sends a signal the caller means (a fault) to the process and its descendants: the exit or stop
   * is not reported as a crash or hang.
   */
  signal(signal: NodeJS.Signals): void {
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.#expectedExit = true;
    if (signal === 'SIGSTOP') this.#pausedOnPurpose = true;
    if (signal === 'SIGCONT') this.#pausedOnPurpose = false;
    if (this.running && this.pid !== undefined) signalTree(this.pid, signal);
  }

  /** Its stop signal, then SIGKILL to what is left of its tree after a grace period; resolves once the process is gone. */
  async stop(): Promise<void> {
    this.#expectedExit = true;
    this.#pausedOnPurpose = false;
    if (!this.running || this.pid === undefined) return;
    signalTree(this.pid, 'SIGCONT'); // a stopped (SIGSTOP) process cannot act on SIGTERM
    this.#child.kill(this.spec.stopSignal ?? 'SIGTERM');
    const pid = this.pid;
    const timer = setTimeout(() => signalTree(pid, 'SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Waits for a process to serve on its port, and proves the answer comes from it: when another
 * process holds the port (our bind failed, theirs answers), the start fails with PORT_TAKEN.
 */
export async function waitUntilServing<T>(process: { readonly running: boolean; readonly spec: { readonly name: string } }, port: number, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    // Only a process that died (its bind failed) while another one listens lost its port; a stopped one still holds it.
    if (error instanceof FiredrillError && error.code === 'PROCESS_EXITED' && !process.running && listenerInodes(port).size > 0) {
      throw new FiredrillError('PORT_TAKEN', `${process.spec.name}: port ${port} was taken by another process before ${process.spec.name} could bind it`, { cause: error });
    }
    throw error;
  }
}

export function processExitedError(process: ManagedProcess): FiredrillError {
  return new FiredrillError('PROCESS_EXITED', process.unexpectedExit() ?? `${process.spec.name} is not running`);
}
