import { mkdirSync, readdirSync, rmdirSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onProcessExit } from '../on-process-exit.ts';
import { removeIfEmpty, unlinkQuietly, writeClaimFile } from './ledger-files.ts';
import { machineLoad } from './machine-load.ts';
import { ALONE_ROOM, poolCpuCores } from './pool-capacity.ts';
import { processAlive } from './process-tree.ts';
import { otherRunsPresent } from './run-presence.ts';
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
 * load is read over 3 s), so its share counts as claimed on top of the measured load. A run whose
 * stack is ready says so (renew with the load's window): its claim is young for that long from
 * then, so a Piyasa stack ready in 6 s stops counting twice at 9 s, not 12.
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

/**
 * A run's oldest waiting claim that has waited this long for room goes first: newer claims, of
 * every run, wait until it has its room. Waiting claims read the ledger every RETRY_MS and the
 * first to fit wins, so a heavy stack lost to lighter ones each time room opened (seen in CI: the
 * mutation gate's longest drill, first in its pool's order, started 293 s into the gate, ran
 * twice, and ended it alone with the machine 90% idle). Until then lighter claims may pass it,
 * filling room it cannot use. A run's next claim waits from when it becomes the run's oldest, so
 * runs take turns: ordered by when each claim began, a gate with a dozen light claims waiting at
 * once went first a dozen times (measured: the fixtures' gate beside the mutation gate got its
 * first stack after 3 min 49 s).
 */
export const WAITED_LONG_MS = 3_000;
/** A waiting claim renews its mark every time it reads the ledger; one not renewed for this long is a stopped process's, and holds nobody back. */
const STALE_WAIT_MS = 5_000;

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
   * Makes the claim young again, from now: its stack starts only now (it waited for a start-up
   * slot), so the load does not show its cost yet, however long ago the claim was granted. With
   * `youngForMs` (at most YOUNG_CLAIM_MS), young for exactly that long from now, whatever was
   * left: its stack is ready and its drill's traffic begins, so the load shows all of its cost
   * once read over that long. That is shorter than what was left for a stack ready soon after its
   * start slot, and longer, or young again, for one that took longer than YOUNG_CLAIM_MS to start
   * (a busy machine): its traffic is not in the load either.
   */
  renew(youngForMs?: number): void;
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
  /**
   * What the claims and the load may add up to while no other process holds a claim or waits for
   * one here, and `othersPresent` says none starts stacks elsewhere (default 1, the budget): a run
   * alone on the machine may fill more of it than runs side by side, whose starts and whose
   * processes outside the ledger come together (pool-capacity.ts).
   */
  readonly aloneRoom?: number;
  /** Whether other processes start stacks on the machine, in ledgers of their own too (default: none). */
  readonly othersPresent?: () => boolean;
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

/** A claim waiting for room: `wait-<pid>-<seq>-<when it began waiting, ms>` (a name the claims' pattern never matches). */
interface Waiter {
  readonly file: string;
  readonly pid: number;
  readonly sinceMs: number;
}

/** A claim of this process waiting for its room; `mark` is its file in the ledger while it is the process's oldest. */
interface Request {
  readonly millionths: number;
  readonly measuredHere: boolean;
  mark?: string;
  resolve(file: string): void;
  reject(error: unknown): void;
  /** Stops listening to the claim's signal. */
  settle(): void;
}

/** What one pass reads of the ledger, and adds to it as it grants claims. */
interface Ledger {
  readonly claims: { share: number; young: boolean; pid: number }[];
  waiters: readonly Waiter[];
}

function parseWaiter(file: string): Waiter | undefined {
  const match = /^wait-(\d+)-(\d+)-(\d+)$/.exec(file);
  return match ? { file, pid: Number(match[1]), sinceMs: Number(match[3]) } : undefined;
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
  readonly #aloneRoom: number;
  readonly #othersPresent: () => boolean;
  #seq = 0;
  /** This process's claims waiting for room, oldest first. */
  readonly #queue: Request[] = [];
  #serving = false;
  #wakeServer: (() => void) | undefined;

  constructor(options: MachineBudgetOptions = {}) {
    this.#dir = options.dir ?? defaultBudgetDir();
    this.#lock = `${this.#dir}.lock`;
    this.#isAlive = options.isAlive ?? processAlive;
    this.#pid = options.pid ?? process.pid;
    this.#load = options.load;
    this.#now = options.now ?? Date.now;
    this.#aloneRoom = options.aloneRoom ?? 1;
    this.#othersPresent = options.othersPresent ?? (() => false);
  }

  /** The shares the live claims of every process hold now. */
  held(): number {
    return this.#liveClaims().reduce((sum, c) => sum + c.share, 0);
  }

  async claim(share: number, { signal, measuredHere = false }: ClaimOptions = {}): Promise<BudgetClaim> {
    if (!(share > 0)) throw new RangeError(`a claim needs a share above 0, got ${share}`);
    signal?.throwIfAborted();
    const file = await new Promise<string>((resolve, reject) => {
      const request: Request = { millionths: Math.max(1, Math.round(share * 1e6)), measuredHere, resolve, reject, settle: () => {} };
      if (signal) {
        const onAbort = () => {
          this.#drop(request);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        request.settle = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(request);
      this.#wakeServer?.();
      void this.#serve();
    });
    return this.#held(file);
  }

  /**
   * Reads the ledger for this process's waiting claims, oldest first, until none waits: one read of
   * the ledger per RETRY_MS (two when it grants), whatever how many wait (a pool of light stacks
   * waits with a dozen at once; each reading the ledger on its own took the lock over a hundred
   * times a second, and its directory's mkdir and rmdir held the main thread seconds in a gate).
   * The lock is taken only when that read found room for one: a CPU profile of a gate had the main
   * thread 4.4 s in the lock's rmdir while claims waited for room that was not there, the
   * machine's disk busy with the Prometheus servers' writes.
   */
  async #serve(): Promise<void> {
    if (this.#serving) return;
    this.#serving = true;
    try {
      while (this.#queue.length > 0) {
        try {
          // A grant needs the lock (no two runs may take the same room); seeing there is none, and
          // marking the oldest claim as waiting, do not: the grant reads the ledger again.
          if (this.#anyFits()) await this.#withLock(() => this.#grantWhatFits());
          else this.#markOldest();
        } catch (error) {
          for (const request of this.#queue.splice(0)) {
            this.#forgetMark(request);
            request.settle();
            request.reject(error);
          }
          removeIfEmpty(this.#dir);
          return;
        }
        if (this.#queue.length === 0) break;
        // A new claim cuts the wait short: it is read at once, as it would be alone.
        const wake = new AbortController();
        this.#wakeServer = () => wake.abort();
        await pause(RETRY_MS, wake.signal);
        this.#wakeServer = undefined;
      }
    } finally {
      this.#serving = false;
    }
  }

  /** Whether any waiting claim has room in the ledger as it is now, read without the lock. */
  #anyFits(): boolean {
    const ledger = this.#snapshot();
    const { load, othersPresent } = this.#probesOfOnePass();
    return this.#queue.some((request) => this.#fits(request, ledger, load, othersPresent));
  }

  /** The machine's load and other runs' presence, each read at most once in a pass, and only when a claim's fit depends on it. */
  #probesOfOnePass(): { load: () => ReturnType<LoadProbe>; othersPresent: () => boolean } {
    let busy: ReturnType<LoadProbe> | null = null;
    let others: boolean | undefined;
    return { load: () => (busy === null ? (busy = this.#load?.()) : busy), othersPresent: () => (others ??= this.#othersPresent()) };
  }

  /** One pass over the waiting claims, in the lock: each that fits, counting those granted before it in this pass, gets its room. */
  #grantWhatFits(): void {
    const ledger = this.#snapshot();
    const { load, othersPresent } = this.#probesOfOnePass();
    for (const request of [...this.#queue]) {
      if (!this.#fits(request, ledger, load, othersPresent)) continue;
      const name = this.#writeOwn(`${this.#pid}-${this.#seq++}-${request.millionths}`);
      ledger.claims.push({ share: request.millionths / 1e6, young: true, pid: this.#pid });
      // In the same step: no claim may see this one as still waiting once it holds its room.
      ledger.waiters = ledger.waiters.filter((w) => w.file !== request.mark);
      this.#queue.splice(this.#queue.indexOf(request), 1);
      this.#forgetMark(request);
      request.settle();
      request.resolve(name);
    }
    this.#markOldest();
  }

  /**
   * Only this process's oldest waiting claim marks the ledger, from when it became the oldest: the
   * runs' oldest waiting claims take turns, whatever how many claims each run has waiting.
   */
  #markOldest(): void {
    const oldest = this.#queue[0];
    if (oldest === undefined) return;
    oldest.mark ??= this.#writeOwn(`wait-${this.#pid}-${this.#seq++}-${Math.round(this.#now())}`);
    this.#touch(oldest.mark);
  }

  /** Writes a claim or mark of this process into the ledger, taken out on every exit path from then on. */
  #writeOwn(name: string): string {
    heldClaims.add(path.join(this.#dir, name));
    onProcessExit(releaseAllClaimsNow);
    writeClaimFile(this.#dir, name);
    return name;
  }

  /** A claim that stopped waiting (aborted) leaves the queue, and takes its mark with it. */
  #drop(request: Request): void {
    const at = this.#queue.indexOf(request);
    if (at !== -1) this.#queue.splice(at, 1);
    this.#forgetMark(request);
    removeIfEmpty(this.#dir);
  }

  #forgetMark(request: Request): void {
    if (request.mark === undefined) return;
    heldClaims.delete(path.join(this.#dir, request.mark));
    unlinkQuietly(path.join(this.#dir, request.mark));
    request.mark = undefined;
  }

  /**
   * Whether `request` has room in `ledger` now. Another claim's mark that has waited longer,
   * WAITED_LONG_MS at least, goes first.
   */
  #fits(request: Request, ledger: Ledger, load: () => ReturnType<LoadProbe>, othersPresent: () => boolean): boolean {
    const share = request.millionths / 1e6;
    if (this.#someoneWaitedLonger(ledger.waiters, request.mark)) return false;
    if (ledger.claims.length === 0) return true;
    const alone = ledger.claims.every((c) => c.pid === this.#pid) && ledger.waiters.every((w) => w.pid === this.#pid) && !othersPresent();
    const room = alone ? this.#aloneRoom : 1;
    const held = ledger.claims.reduce((sum, c) => sum + c.share, 0);
    if (held + share > MEASURED_CLAIMS_CAP * room + 1e-9) return false;
    const busy = load();
    if (held + share > (request.measuredHere && typeof busy === 'number' ? MEASURED_CLAIMS_CAP : 1) * room + 1e-9) return false;
    if (busy === undefined) return true;
    if (busy === 'unknown') return false;
    const young = ledger.claims.filter((c) => c.young).reduce((sum, c) => sum + c.share, 0);
    if (!request.measuredHere && young > 0 && young + share > YOUNG_CLAIMS_CAP + 1e-9) return false;
    return busy + young + share <= room + 1e-9;
  }

  /** The live claims (young or not, by this budget's clock) and the marks renewed lately, read once for a pass. */
  #snapshot(): Ledger {
    const { claims, waiters } = this.#read();
    const now = this.#now();
    // A file gone meanwhile no longer counts: old, or not renewed.
    const age = (file: string) => now - (modifiedAtMs(path.join(this.#dir, file)) ?? 0);
    return {
      claims: claims.map((c) => ({ share: c.share, young: age(c.file) < YOUNG_CLAIM_MS, pid: c.pid })),
      // A mark not renewed lately is a stopped process's (Ctrl-Z): it does not hold the machine's runs back.
      waiters: waiters.filter((w) => age(w.file) < STALE_WAIT_MS),
    };
  }

  /** The claim `file`, written (and registered for exit) by #writeOwn. */
  #held(file: string): BudgetClaim {
    const claimPath = path.join(this.#dir, file);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldClaims.delete(claimPath);
      unlinkQuietly(claimPath);
      // The last claim out takes the ledger's directory with it; a claim being written recreates it.
      removeIfEmpty(this.#dir);
    };
    const renew = (youngForMs = YOUNG_CLAIM_MS) => {
      if (!(youngForMs >= 0 && youngForMs <= YOUNG_CLAIM_MS)) throw new RangeError(`a claim is young for 0 to ${YOUNG_CLAIM_MS} ms, not ${youngForMs}`);
      if (released) return;
      // Young is read from the file's age: written as if granted that much before now.
      const at = new Date(this.#now() - (YOUNG_CLAIM_MS - youngForMs));
      try {
        utimesSync(claimPath, at, at);
      } catch {
        // removed by a release in between
      }
    };
    return { release, renew, [Symbol.dispose]: release };
  }

  /** Whether a renewed mark other than `mine` began waiting before it (or before now, for a claim with none) and has waited WAITED_LONG_MS. */
  #someoneWaitedLonger(waiters: readonly Waiter[], mine: string | undefined): boolean {
    const now = this.#now();
    const since = mine === undefined ? now : (parseWaiter(mine)?.sinceMs ?? now);
    return waiters.some(
      (waiter) => waiter.file !== mine && now - waiter.sinceMs >= WAITED_LONG_MS && (waiter.sinceMs < since || (waiter.sinceMs === since && waiter.file < (mine ?? ''))),
    );
  }

  /** Marks a waiting claim as still waiting, by this budget's clock. */
  #touch(file: string): void {
    const now = new Date(this.#now());
    try {
      utimesSync(path.join(this.#dir, file), now, now);
    } catch {
      // its directory was removed by the last release, and the mark with it: write it again
      writeClaimFile(this.#dir, file);
      utimesSync(path.join(this.#dir, file), now, now);
    }
  }

  #liveClaims(): Claim[] {
    return this.#read().claims;
  }

  /** The ledger's live claims and waiting marks; what a process that is gone left there is removed (it was killed outright). */
  #read(): { claims: Claim[]; waiters: Waiter[] } {
    let files: string[];
    try {
      files = readdirSync(this.#dir);
    } catch {
      return { claims: [], waiters: [] };
    }
    const claims: Claim[] = [];
    const waiters: Waiter[] = [];
    for (const file of files) {
      const entry = parseClaim(file) ?? parseWaiter(file);
      if (!entry) continue;
      if (entry.pid !== this.#pid && !this.#isAlive(entry.pid)) unlinkQuietly(path.join(this.#dir, file));
      else if ('share' in entry) claims.push(entry);
      else waiters.push(entry);
    }
    return { claims, waiters };
  }

  async #withLock<T>(work: () => T): Promise<T> {
    for (;;) {
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
        await pause(5, undefined);
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

const shared = new Map<string, MachineBudget>();

let loadReader: NodeJS.Timeout | undefined;

/** This process's view of the machine's ledger of running stacks (one per process: its claims are its own). */
export function machineBudget(): MachineBudget {
  // Waiting claims read the load every RETRY_MS; between waits it is read a few times a window, so
  // that the next claim finds a reading one window old (else it waits for one: see busyCores).
  loadReader ??= setInterval(() => machineLoad().busyCores(), machineLoad().windowMs / 3).unref();
  return budgetAt(
    defaultBudgetDir(),
    () => {
      const busy = machineLoad().busyCores();
      return typeof busy === 'number' ? busy / poolCpuCores() : busy;
    },
    ALONE_ROOM,
    () => otherRunsPresent(),
  );
}

/**
 * The ledger of stacks starting their parts (services, databases, exporters), the CPU-heavy part
 * of a start: each start claims one core's share, so that all runs together start as many at
 * once as the machine has cores, and running drills keep their CPU.
 */
export function startBudget(): MachineBudget {
  return budgetAt(`${defaultBudgetDir()}-starting`);
}

function budgetAt(dir: string, load?: LoadProbe, aloneRoom?: number, othersPresent?: () => boolean): MachineBudget {
  let budget = shared.get(dir);
  if (!budget) shared.set(dir, (budget = new MachineBudget({ dir, ...(load ? { load } : {}), ...(aloneRoom ? { aloneRoom } : {}), ...(othersPresent ? { othersPresent } : {}) })));
  return budget;
}
