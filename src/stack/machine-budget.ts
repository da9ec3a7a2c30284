import { mkdirSync, readdirSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onProcessExit } from '../on-process-exit.ts';
import { machineLoad } from './machine-load.ts';
import { poolCpuCores } from './pool-capacity.ts';
import { processAlive } from './process-tree.ts';
import { pause } from './wait-for.ts';

// A pool sizes itself to the whole machine. Two firedrill runs at once (CI shards on one runner,
// a game day next to a gate, the test suite's gate beside its mutation gate) would each fill it,
// and drills starved of CPU miss their timing. So every stack also claims its share of the machine
// in a ledger all firedrill processes of this user read: a directory of claim files, one per
// running stack, named `<pid>-<seq>-<share in millionths>`. A claim whose process is gone no
// longer counts. A short lock (an exclusive mkdir) makes "read the ledger, then claim" atomic.

/** How long a claim that does not fit waits before reading the ledger again. */
const RETRY_MS = 100;
/** A lock held longer than this belongs to a process that died holding it (the critical section takes a millisecond). */
const STALE_LOCK_MS = 5_000;
/**
 * A claim this young is a stack still starting, or whose drill has barely begun: the machine's
 * load does not show its cost yet (a stack is ready in 6 to 10 s, its traffic then begins, and the
 * load is read over 3 s), so its share counts as claimed on top of the measured load.
 */
export const YOUNG_CLAIM_MS = 12_000;
/**
 * Young claims together hold at most this share of the machine (one always may), when the new
 * claim's share is an estimate: a pool fills the machine in steps, each sized by what the load
 * showed of the stacks before it, rather than all at once on shares that may be wrong for this
 * machine. A share measured on this machine (over enough stacks: readStackCosts) is not held to
 * it: the load check (young claims counted on top of the load) is room enough, and the cap kept
 * THE_BOT's stacks, each over a quarter of the budget, starting one per 12 s (measured: the
 * fixtures' gate in 268 s with it, 215 s without, timing exact in both).
 */
export const YOUNG_CLAIMS_CAP = 0.5;
/**
 * What the live claims may add up to when the new claim's share was measured on this machine and
 * the machine's load is read: a share is a stack's average over its whole life, its start-up
 * included (its services' and databases' starts, the busiest seconds it has), so stacks past their
 * start cost less than their shares say (measured: six stacks of the fixtures' gate claiming 1.03
 * cores while the machine was 0.7 to 1.0 busy, and the next THE_BOT stack, 0.26, waiting). The
 * load check (the measured load plus the young claims' shares leave room) keeps the machine within
 * its budget; this cap bounds how far the claims may run ahead of the load, should the running
 * stacks' later phases (a fault's heavier traffic) cost more than the load showed when they joined.
 */
export const MEASURED_CLAIMS_CAP = 1.25;

/** The machine's measured busy CPU in shares (1 = the pool budget's cores), 'unknown' while it cannot tell yet, undefined where it never can. */
export type LoadProbe = () => number | 'unknown' | undefined;

export interface ClaimOptions {
  readonly signal?: AbortSignal;
  /** The share is what this system's stacks were measured to cost on this machine, not an estimate: YOUNG_CLAIMS_CAP does not apply. */
  readonly measuredHere?: boolean;
}

export interface BudgetClaim extends Disposable {
  release(): void;
  /**
   * Makes the claim young again: its stack starts only now (it waited for a start-up slot), so
   * the load does not show its cost yet, however long ago the claim was granted.
   */
  renew(): void;
}

export interface MachineBudgetOptions {
  /** The ledger's directory (default: `.firedrill-stacks-<uid>` in the temporary directory). */
  readonly dir?: string;
  /** Whether a process is running (default: signal 0). */
  readonly isAlive?: (pid: number) => boolean;
  readonly pid?: number;
  /** Without one, or where it answers undefined, the ledger alone decides. */
  readonly load?: LoadProbe;
  readonly now?: () => number;
}

export function defaultBudgetDir(): string {
  return path.join(os.tmpdir(), `.firedrill-stacks-${os.userInfo().uid}`);
}

interface Claim {
  readonly file: string;
  readonly pid: number;
  readonly share: number;
}

function parseClaim(file: string): Claim | undefined {
  const match = /^(\d+)-(\d+)-(\d+)$/.exec(file);
  return match ? { file, pid: Number(match[1]), share: Number(match[3]) / 1e6 } : undefined;
}

/** This process's claims, in every ledger: removed on every exit path. */
const heldClaims = new Set<string>();

/** A crashed run must not hold its shares. */
function releaseAllClaimsNow(): void {
  for (const claim of heldClaims) unlinkQuietly(claim);
}

/**
 * The shares of the machine that all firedrill processes' running stacks hold. `claim(share)`
 * waits until the live claims leave room for `share` (their sum at most 1), or until nothing else
 * runs (a stack heavier than the whole budget still runs, alone). With a load probe it also waits
 * until the machine's measured load, plus the shares of claims too young to show in it, leaves
 * room, and (for a share that is an estimate) while young claims hold YOUNG_CLAIMS_CAP: the load
 * is what the stacks really cost on this machine, next to whatever else runs on it. A share
 * measured on this machine may take the claims' sum up to MEASURED_CLAIMS_CAP, the load allowing.
 */
export class MachineBudget {
  readonly #dir: string;
  readonly #lock: string;
  readonly #isAlive: (pid: number) => boolean;
  readonly #pid: number;
  readonly #load: LoadProbe | undefined;
  readonly #now: () => number;
  #seq = 0;

  constructor(options: MachineBudgetOptions = {}) {
    this.#dir = options.dir ?? defaultBudgetDir();
    this.#lock = `${this.#dir}.lock`;
    this.#isAlive = options.isAlive ?? processAlive;
    this.#pid = options.pid ?? process.pid;
    this.#load = options.load;
    this.#now = options.now ?? Date.now;
  }

  /** The shares the live claims of every process hold now. */
  held(): number {
    return this.#liveClaims().reduce((sum, c) => sum + c.share, 0);
  }

  async claim(share: number, { signal, measuredHere = false }: ClaimOptions = {}): Promise<BudgetClaim> {
    if (!(share > 0)) throw new RangeError(`a claim needs a share above 0, got ${share}`);
    const millionths = Math.max(1, Math.round(share * 1e6));
    for (;;) {
      signal?.throwIfAborted();
      const file = await this.#withLock(() => {
        if (!this.#fits(millionths / 1e6, measuredHere)) return undefined;
        const name = `${this.#pid}-${this.#seq++}-${millionths}`;
        writeClaimFile(this.#dir, name);
        return name;
      }, signal);
      if (file !== undefined) return this.#held(file);
      await pause(RETRY_MS, signal);
    }
  }

  #fits(share: number, measuredHere: boolean): boolean {
    const live = this.#liveClaims();
    if (live.length === 0) return true;
    const held = live.reduce((sum, c) => sum + c.share, 0);
    if (held + share > MEASURED_CLAIMS_CAP + 1e-9) return false;
    const busy = this.#load?.();
    if (held + share > (measuredHere && typeof busy === 'number' ? MEASURED_CLAIMS_CAP : 1) + 1e-9) return false;
    if (busy === undefined) return true;
    if (busy === 'unknown') return false;
    const now = this.#now();
    // A claim gone meanwhile no longer counts: old.
    const young = live.filter((c) => now - (modifiedAtMs(path.join(this.#dir, c.file)) ?? 0) < YOUNG_CLAIM_MS).reduce((sum, c) => sum + c.share, 0);
    if (!measuredHere && young > 0 && young + share > YOUNG_CLAIMS_CAP + 1e-9) return false;
    return busy + young + share <= 1 + 1e-9;
  }

  #held(file: string): BudgetClaim {
    const claimPath = path.join(this.#dir, file);
    heldClaims.add(claimPath);
    onProcessExit(releaseAllClaimsNow);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldClaims.delete(claimPath);
      unlinkQuietly(claimPath);
      // The last claim out takes the ledger's directory with it; a claim being written recreates it.
      try {
        rmdirSync(this.#dir);
      } catch {
        // not empty, or gone already
      }
    };
    const renew = () => {
      if (released) return;
      const now = new Date(this.#now());
      try {
        utimesSync(path.join(this.#dir, file), now, now);
      } catch {
        // removed by a release in between
      }
    };
    return { release, renew, [Symbol.dispose]: release };
  }

  #liveClaims(): Claim[] {
    let files: string[];
    try {
      files = readdirSync(this.#dir);
    } catch {
      return [];
    }
    const live: Claim[] = [];
    for (const file of files) {
      const claim = parseClaim(file);
      if (!claim) continue;
      if (claim.pid === this.#pid || this.#isAlive(claim.pid)) live.push(claim);
      else unlinkQuietly(path.join(this.#dir, file)); // left by a process that was killed outright
    }
    return live;
  }

  async #withLock<T>(work: () => T, signal?: AbortSignal): Promise<T> {
    for (;;) {
      signal?.throwIfAborted();
      try {
        mkdirSync(this.#lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (lockAgeMs(this.#lock) > STALE_LOCK_MS) {
          try {
            rmdirSync(this.#lock);
          } catch {
            // another waiter removed it first
          }
          continue;
        }
        await pause(5, signal);
      }
    }
    try {
      return work();
    } finally {
      try {
        rmdirSync(this.#lock);
      } catch {
        // taken for stale by a waiter while this process was stopped
      }
    }
  }
}

/**
 * The last claim out removes the ledger's directory outside the lock (releases are synchronous,
 * the lock is not), so it can vanish between creating it and writing a claim into it: create it
 * again. Once the file is written the directory is not empty, and no release can remove it.
 */
function writeClaimFile(dir: string, name: string): void {
  for (;;) {
    try {
      // mkdir too: a recursive mkdir that finds the directory checks it with a stat, which fails
      // when a release removed it in between (seen under heavy load: ENOENT from the mkdir).
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, name), '');
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** When a claim file or the lock was written; undefined once it is gone. */
function modifiedAtMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function lockAgeMs(lock: string): number {
  const at = modifiedAtMs(lock);
  return at === undefined ? 0 : Date.now() - at;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

const shared = new Map<string, MachineBudget>();

/** This process's view of the machine's ledger of running stacks (one per process: its claims are its own). */
export function machineBudget(): MachineBudget {
  return budgetAt(defaultBudgetDir(), () => {
    const busy = machineLoad().busyCores();
    return typeof busy === 'number' ? busy / poolCpuCores() : busy;
  });
}

/**
 * The ledger of stacks starting their parts (services, databases, exporters), the CPU-heavy part
 * of a start: each start claims one core's share, so that all runs together start as many at
 * once as the machine has cores, and running drills keep their CPU.
 */
export function startBudget(): MachineBudget {
  return budgetAt(`${defaultBudgetDir()}-starting`);
}

function budgetAt(dir: string, load?: LoadProbe): MachineBudget {
  let budget = shared.get(dir);
  if (!budget) shared.set(dir, (budget = new MachineBudget({ dir, ...(load ? { load } : {}) })));
  return budget;
}
