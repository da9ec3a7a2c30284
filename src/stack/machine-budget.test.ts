import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MachineBudget, MEASURED_CLAIMS_CAP, WAITED_LONG_MS, YOUNG_CLAIM_MS, type BudgetClaim, type LoadProbe, type MachineBudgetOptions } from './machine-budget.ts';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'firedrill-budget-test-'));
  dir = path.join(root, 'ledger');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  // Three retry periods: a claim that fits is taken on its first read of the ledger.
  await new Promise((resolve) => setTimeout(resolve, 350));
  return done;
};

/** Runs an ES module script in a process of its own, to its end: its exit code and what it wrote. */
function runScript(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': the process can end before its output is read to the end.
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('MachineBudget', () => {
  it('grants claims while they add up to at most the machine, and the next once one is released', async () => {
    const a = new MachineBudget({ dir, pid: 1001, isAlive: () => true });
    const b = new MachineBudget({ dir, pid: 1002, isAlive: () => true });
    const first = await a.claim(0.6);
    const second = await b.claim(0.4);
    expect(a.held()).toBeCloseTo(1);
    const third = b.claim(0.3);
    expect(await settled(third)).toBe(false);
    first.release();
    const granted = await third;
    expect(b.held()).toBeCloseTo(0.7);
    second.release();
    granted.release();
    expect(existsSync(dir)).toBe(false); // the last claim out removes the ledger
  });

  it('lets a stack heavier than the whole machine run, but only alone', async () => {
    const budget = new MachineBudget({ dir, pid: 1001, isAlive: () => true });
    const small = await budget.claim(0.1);
    const heavy = budget.claim(1.5);
    expect(await settled(heavy)).toBe(false);
    small.release();
    (await heavy).release();
  });

  it('does not count, and removes, the claims of a process that is gone', async () => {
    mkdirSync(dir);
    writeFileSync(path.join(dir, '4242-0-900000'), '');
    const budget = new MachineBudget({ dir, pid: 1001, isAlive: (pid) => pid !== 4242 });
    const claim = await budget.claim(0.5);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^1001-\d+-500000$/)]);
    claim.release();
  });

  it('stops waiting when its signal aborts', async () => {
    const a = new MachineBudget({ dir, pid: 1001, isAlive: () => true });
    const held = await a.claim(1);
    const abort = new AbortController();
    const waiting = new MachineBudget({ dir, pid: 1002, isAlive: () => true }).claim(0.5, { signal: abort.signal });
    abort.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
    held.release();
  });

  it('reads the ledger once per retry for all of a process\'s waiting claims, and grants them in order as room opens', async () => {
    const holder = await new MachineBudget({ dir, pid: 1003, isAlive: () => true }).claim(0.9);
    let readsOfHolder = 0;
    const budget = new MachineBudget({ dir, pid: 1001, isAlive: (pid) => (pid === 1003 && readsOfHolder++, true) });
    const waiting = Array.from({ length: 10 }, () => budget.claim(0.2));
    expect(await settled(waiting[0]!)).toBe(false);
    // About four reads in 350 ms (one pass each RETRY_MS); a read per claim would be about forty.
    expect(readsOfHolder).toBeGreaterThan(0);
    expect(readsOfHolder).toBeLessThanOrEqual(8);
    holder.release();
    const granted = await Promise.all(waiting.slice(0, 5));
    expect(budget.held()).toBeCloseTo(1);
    expect(await settled(waiting[5]!)).toBe(false);
    granted[0]!.release();
    (await waiting[5]!).release();
    for (const claim of granted.slice(1)) claim.release();
    await Promise.all(waiting.slice(6).map(async (claim) => (await claim).release()));
    expect(existsSync(dir)).toBe(false);
  });

  /**
   * Runs `body` while another run holds the ledger's lock (kept fresh, so that it never counts as
   * stale): a claim of 0.9 by pid 1003, and a claim of 0.5 by pid 1001 waiting for room. `body`
   * gets both and a function that drops the lock; the waiting claim is aborted if `body` fails.
   */
  async function withLockHeldByAnotherRun(body: (run: { holder: BudgetClaim; waiting: Promise<BudgetClaim>; dropLock: () => void }) => Promise<void>): Promise<void> {
    const holder = await new MachineBudget({ dir, pid: 1003, isAlive: () => true }).claim(0.9);
    const lock = `${dir}.lock`;
    mkdirSync(lock);
    const keepFresh = setInterval(() => utimesSync(lock, new Date(), new Date()), 50);
    const dropLock = () => {
      clearInterval(keepFresh);
      rmSync(lock, { recursive: true, force: true });
    };
    const abort = new AbortController();
    try {
      const waiting = new MachineBudget({ dir, pid: 1001, isAlive: () => true }).claim(0.5, { signal: abort.signal });
      expect(await settled(waiting)).toBe(false);
      await body({ holder, waiting, dropLock });
    } finally {
      dropLock();
      abort.abort(new Error('test over'));
    }
  }

  it('takes the lock only to grant: a claim waiting for room marks the ledger while another run holds the lock', async () => {
    await withLockHeldByAnotherRun(async ({ holder, waiting, dropLock }) => {
      expect(readdirSync(dir).filter((f) => f.startsWith('wait-'))).toEqual([expect.stringMatching(/^wait-1001-/)]);
      holder.release();
      // Room now, but the grant waits for the lock.
      expect(await settled(waiting)).toBe(false);
      dropLock();
      (await waiting).release();
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('grants only on a read of the ledger in the lock: room another run took while it waited for the lock is not granted twice', async () => {
    await withLockHeldByAnotherRun(async ({ holder, waiting, dropLock }) => {
      holder.release(); // room, seen without the lock: the waiting claim now waits for the lock
      expect(await settled(waiting)).toBe(false);
      writeFileSync(path.join(dir, '1004-0-900000'), ''); // meanwhile another run, in the lock, takes the room
      dropLock();
      expect(await settled(waiting)).toBe(false);
      rmSync(path.join(dir, '1004-0-900000'));
      (await waiting).release();
    });
  });

  it('survives processes claiming and releasing at once: the last one out removing the directory does not break a claim being written', async () => {
    // A release removes the ledger's directory once it is empty, outside the lock; a claim in
    // another process may have just created it. Seen in CI: ENOENT writing the claim file.
    const script = `import { MachineBudget } from ${JSON.stringify(path.resolve('src/stack/machine-budget.ts'))};
const budget = new MachineBudget({ dir: ${JSON.stringify(dir)} });
for (let i = 0; i < 400; i++) (await budget.claim(0.1)).release();`;
    const exits = await Promise.all([0, 1, 2].map(() => runScript(script)));
    expect(exits.map(({ code, stderr }) => ({ code, stderr }))).toEqual([0, 1, 2].map(() => ({ code: 0, stderr: '' })));
    expect(existsSync(dir)).toBe(false);
  });

  it('takes a process\'s claims out of every ledger it opened when it exits without releasing them, with one exit listener', async () => {
    const ledgers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => path.join(root, `ledger-${i}`));
    const script = `import { MachineBudget } from ${JSON.stringify(path.resolve('src/stack/machine-budget.ts'))};
const before = process.listenerCount('exit');
for (const dir of ${JSON.stringify(ledgers)}) await new MachineBudget({ dir }).claim(0.1);
process.stdout.write(JSON.stringify({ exitListeners: process.listenerCount('exit') - before }));
process.exit(0);`;
    const { code, stdout, stderr } = await runScript(script);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ exitListeners: 1 });
    expect(ledgers.flatMap((ledger) => (existsSync(ledger) ? readdirSync(ledger) : []))).toEqual([]);
  });

  it('is shared by processes: a claim waits for another process, and is granted when that process is killed outright', async () => {
    const script = `import { MachineBudget } from ${JSON.stringify(path.resolve('src/stack/machine-budget.ts'))};
await new MachineBudget({ dir: ${JSON.stringify(dir)} }).claim(0.8);
process.stdout.write('claimed\\n');
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('claimed') && resolve());
        child.once('exit', (code) => reject(new Error(`the claiming process exited ${code} before claiming`)));
      });
      const mine = new MachineBudget({ dir }).claim(0.5);
      expect(await settled(mine)).toBe(false);
      child.kill('SIGKILL'); // no exit hook runs: its claim file stays, and counts no more
      (await mine).release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  describe('a claim that has waited long', () => {
    const at = { ms: 0 };
    const clock = () => at.ms;
    const waitMarks = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('wait-')) : []);

    it('lets lighter claims use room it cannot at first, and none, of any process, once it has waited WAITED_LONG_MS', async () => {
      at.ms = Date.now();
      const a = new MachineBudget({ dir, pid: 1001, isAlive: () => true, now: clock });
      const b = new MachineBudget({ dir, pid: 1002, isAlive: () => true, now: clock });
      const running = await a.claim(0.7);
      const heavy = b.claim(0.5); // 1.2: waits
      expect(await settled(heavy)).toBe(false);
      expect(waitMarks()).toEqual([expect.stringMatching(/^wait-1002-\d+-\d+$/)]);
      const light = await a.claim(0.2); // the heavy one has not waited long: 0.9 held
      at.ms += WAITED_LONG_MS;
      const lighter = a.claim(0.05); // 0.95 would fit, but the heavy one goes first now
      expect(await settled(lighter)).toBe(false);
      running.release(); // 0.2 + 0.5: room for the heavy one, then 0.05 more
      const granted = await heavy;
      (await lighter).release();
      expect(waitMarks()).toEqual([]);
      granted.release();
      light.release();
      expect(existsSync(dir)).toBe(false);
    });

    it('lets runs take turns: a run\'s next claim waits from when its earlier one got in, however many it has waiting', async () => {
      at.ms = Date.now();
      const budget = (pid: number) => new MachineBudget({ dir, pid, isAlive: () => true, now: clock });
      const holder = budget(1003);
      const holds = [await holder.claim(0.35), await holder.claim(0.35), await holder.claim(0.3)];
      const a = budget(1001);
      const fromA = [a.claim(0.3), a.claim(0.3), a.claim(0.3)];
      expect(await settled(fromA[0]!)).toBe(false);
      expect(waitMarks()).toEqual([expect.stringMatching(/^wait-1001-/)]); // one mark per run: its oldest claim's
      at.ms += 1_000;
      const fromB = budget(1002).claim(0.3);
      expect(await settled(fromB)).toBe(false);
      at.ms += WAITED_LONG_MS;
      holds[0]!.release(); // room for one: A's oldest, waiting longest
      const granted = [await fromA[0]!];
      holds[1]!.release(); // room for one more: B's, not A's next, which waits only from now
      granted.push(await fromB);
      expect(await settled(fromA[1]!)).toBe(false);
      holds[2]!.release();
      for (const c of granted) c.release();
      await Promise.all(fromA.slice(1).map(async (waiting) => (await waiting).release()));
      expect(existsSync(dir)).toBe(false);
    });

    it('holds nobody back once its mark is not renewed (a stopped process), and its mark goes with a process that is gone', async () => {
      mkdirSync(dir);
      at.ms = Date.now();
      const since = at.ms - 60_000;
      const stopped = path.join(dir, `wait-4343-0-${since}`);
      writeFileSync(stopped, '');
      writeFileSync(path.join(dir, `wait-4242-0-${since}`), '');
      const budget = new MachineBudget({ dir, pid: 1001, isAlive: (pid) => pid !== 4242, now: clock });
      const held = budget.claim(0.5); // 4343 has waited a minute and renewed its mark just now: it goes first
      expect(await settled(held)).toBe(false);
      expect(waitMarks().sort()).toEqual([`wait-1001-0-${at.ms}`, `wait-4343-0-${since}`]);
      const old = new Date(at.ms - 10_000);
      utimesSync(stopped, old, old); // not renewed for 10 s: 4343 is stopped
      (await held).release();
      expect(waitMarks()).toEqual([`wait-4343-0-${since}`]);
    });

    it('removes its mark when its wait is aborted, and when its process exits waiting', async () => {
      at.ms = Date.now();
      // This process's own pid: the script's process sees it alive.
      const holder = await new MachineBudget({ dir, now: clock }).claim(1);
      const abort = new AbortController();
      const waiting = new MachineBudget({ dir, pid: 1002, isAlive: () => true, now: clock }).claim(0.5, { signal: abort.signal });
      expect(await settled(waiting)).toBe(false);
      expect(waitMarks()).toHaveLength(1);
      abort.abort(new Error('interrupted'));
      await expect(waiting).rejects.toThrow('interrupted');
      expect(waitMarks()).toEqual([]);
      const script = `import { readdirSync } from 'node:fs';
import { MachineBudget } from ${JSON.stringify(path.resolve('src/stack/machine-budget.ts'))};
void new MachineBudget({ dir: ${JSON.stringify(dir)} }).claim(0.5);
setTimeout(() => {
  process.stdout.write(String(readdirSync(${JSON.stringify(dir)}).filter((f) => f.startsWith('wait-')).length));
  process.exit(0);
}, 300);`;
      const { code, stdout, stderr } = await runScript(script);
      expect({ code, stderr, marksWhileWaiting: stdout }).toEqual({ code: 0, stderr: '', marksWhileWaiting: '1' });
      expect(waitMarks()).toEqual([]);
      holder.release();
    });
  });

  describe('with the machine\'s measured load', () => {
    const at = { ms: 1_000_000 };
    const budgetWith = (pid: number, load: LoadProbe, more: Partial<MachineBudgetOptions> = {}) => new MachineBudget({ dir, pid, isAlive: () => true, load, now: () => at.ms, ...more });
    /** Claims written now are young; ages them as if YOUNG_CLAIM_MS had passed. */
    const ageClaims = () => (at.ms = Date.now() + YOUNG_CLAIM_MS);

    it('waits while the measured load leaves no room, though the ledger does (a machine slower than the shares say)', async () => {
      at.ms = Date.now();
      let busy = 0.9;
      const budget = budgetWith(1001, () => busy);
      const first = await budget.claim(0.2); // nothing else runs: granted whatever the load
      ageClaims();
      const second = budget.claim(0.2); // the ledger holds 0.2 of 1, but the machine is 90% busy
      expect(await settled(second)).toBe(false);
      busy = 0.5;
      (await second).release();
      first.release();
    });

    it('counts young claims on top of the load, and lets them hold at most half the machine', async () => {
      at.ms = Date.now();
      const budget = budgetWith(1001, () => 0);
      const claims = [await budget.claim(0.2), await budget.claim(0.2)];
      const third = budget.claim(0.2); // young claims would hold 0.6: wait for them to show in the load
      expect(await settled(third)).toBe(false);
      ageClaims();
      claims.push(await third);
      for (const c of claims) c.release();
    });

    it('lets a share measured on this machine past the young claims\' cap, never past the load', async () => {
      at.ms = Date.now();
      let busy = 0;
      const budget = budgetWith(1001, () => busy);
      const claims = [await budget.claim(0.2), await budget.claim(0.2)];
      // Young claims would hold 0.6 (over the cap), and 0 + 0.4 young + 0.2 leaves room in the load.
      const third = budget.claim(0.2, { measuredHere: true });
      expect(await settled(third)).toBe(true);
      claims.push(await third);
      busy = 0.3; // 0.3 busy + 0.6 young + 0.2: over the budget, measured or not
      const fourth = budget.claim(0.2, { measuredHere: true });
      expect(await settled(fourth)).toBe(false);
      busy = 0;
      ageClaims();
      claims.push(await fourth);
      for (const c of claims) c.release();
    });

    it('lets measured shares add up past the machine while the load leaves room, up to MEASURED_CLAIMS_CAP; an estimate, or a ledger blind to the load, stops at 1', async () => {
      expect(MEASURED_CLAIMS_CAP).toBeGreaterThan(1.1);
      expect(MEASURED_CLAIMS_CAP).toBeLessThan(1.3);
      at.ms = Date.now();
      const budget = budgetWith(1001, () => 0.3); // the running stacks, past their start, use less than their shares
      const claims = [await budget.claim(0.6)];
      ageClaims();
      const estimate = budget.claim(0.5); // 1.1 held: past the machine
      expect(await settled(estimate)).toBe(false);
      const blind = new MachineBudget({ dir, pid: 1002, isAlive: () => true }).claim(0.5, { measuredHere: true }); // no load to go by
      expect(await settled(blind)).toBe(false);
      const measured = budget.claim(0.5, { measuredHere: true }); // 1.1 held, and 0.3 busy + 0.5 leaves room
      expect(await settled(measured)).toBe(true);
      claims.push(await measured);
      ageClaims();
      const pastCap = budget.claim(0.2, { measuredHere: true }); // 1.3 held: past the cap, however idle the machine
      expect(await settled(pastCap)).toBe(false);
      for (const c of claims) c.release();
      await Promise.all([estimate, blind, pastCap].map(async (waiting) => (await waiting).release()));
    });

    it('holds measured shares past the machine to the load: no room in it, no claim', async () => {
      at.ms = Date.now();
      let busy = 0.7;
      const budget = budgetWith(1001, () => busy);
      const first = await budget.claim(0.7);
      ageClaims();
      const second = budget.claim(0.4, { measuredHere: true }); // 1.1 held is allowed, but 0.7 busy + 0.4 is not
      expect(await settled(second)).toBe(false);
      busy = 0.5;
      (await second).release();
      first.release();
    });

    it('counts a renewed claim as young again: its stack starts only now', async () => {
      at.ms = Date.now();
      const budget = budgetWith(1001, () => 0.7);
      const first = await budget.claim(0.2);
      ageClaims();
      const second = budget.claim(0.2); // 0.7 busy + 0.2: room, the first claim being old (in the load)
      expect(await settled(second)).toBe(true);
      (await second).release();
      first.renew(); // its stack waited for a start-up slot and starts now
      const third = budget.claim(0.2); // 0.7 busy + 0.2 young + 0.2: over the budget
      expect(await settled(third)).toBe(false);
      first.release();
      (await third).release();
    });

    it.each([
      ['as young for that while only: its stack is ready soon after its start slot, and the load shows it once read over its window', false],
      ['young again for that while: its stack took longer than YOUNG_CLAIM_MS to be ready, and its traffic is not in the load yet', true],
    ])('counts a claim renewed for a while %s', async (_, startTookLong) => {
      at.ms = Date.now();
      const budget = budgetWith(1001, () => 0.7);
      const first = await budget.claim(0.2); // young for YOUNG_CLAIM_MS
      if (startTookLong) ageClaims();
      first.renew(3_000);
      const second = budget.claim(0.2); // 0.7 busy + 0.2 young + 0.2: over the budget
      expect(await settled(second)).toBe(false);
      at.ms += 3_000; // not YOUNG_CLAIM_MS: the first is in the load now
      expect(await settled(second)).toBe(true);
      (await second).release();
      first.release();
    });

    it('refuses to renew a claim young for longer than YOUNG_CLAIM_MS', async () => {
      const claim = await budgetWith(1001, () => 0.7).claim(0.2);
      expect(() => claim.renew(YOUNG_CLAIM_MS + 1)).toThrow(RangeError);
      claim.release();
    });

    it('lets a run alone in the ledger fill its alone room, and holds it to the budget once another run claims or waits', async () => {
      at.ms = Date.now();
      const aloneBudget = (pid: number, busy: () => number) => budgetWith(pid, busy, { aloneRoom: 1.15 });
      let busy = 0.8;
      const run = aloneBudget(1001, () => busy);
      const first = await run.claim(0.8);
      ageClaims();
      // Alone: 0.8 busy + 0.3 = 1.1, within 1.15; past 1.15 it waits, alone or not.
      const second = run.claim(0.3);
      expect(await settled(second)).toBe(true);
      const past = run.claim(0.1); // 1.1 held + 0.1: past 1.15
      expect(await settled(past)).toBe(false);
      (await second).release();
      (await past).release();
      // Another run's claim in the ledger: the same 0.3 now waits (0.8 busy + 0.05 + 0.3 > 1).
      const other = await aloneBudget(1002, () => busy).claim(0.05);
      ageClaims();
      const beside = run.claim(0.3);
      expect(await settled(beside)).toBe(false);
      other.release();
      expect(await settled(beside)).toBe(true); // alone again
      (await beside).release();
      // Another run waiting for a claim (its mark in the ledger) counts as beside it too.
      busy = 0.95;
      const waiting = aloneBudget(1003, () => busy).claim(0.9); // 0.8 held + 0.9: no room for it
      expect(await settled(waiting)).toBe(false);
      busy = 0.8;
      const whileWaiting = run.claim(0.3);
      expect(await settled(whileWaiting)).toBe(false);
      first.release();
      // Room for either first, not both: each is released as it is granted, whichever that is.
      await Promise.all([waiting, whileWaiting].map(async (claim) => (await claim).release()));
    });

    it('counts as beside another run a process that starts stacks outside this ledger (its own TMPDIR), and as alone beside a stale mark or a dead process\'s claim', async () => {
      at.ms = Date.now();
      let elsewhere = true;
      const run = budgetWith(1001, () => 0.8, { isAlive: (pid) => pid !== 1009, aloneRoom: 1.15, othersPresent: () => elsewhere });
      const first = await run.claim(0.8);
      ageClaims();
      const second = run.claim(0.3); // 0.8 busy + 0.3: room only alone
      expect(await settled(second)).toBe(false);
      elsewhere = false;
      expect(await settled(second)).toBe(true);
      (await second).release();
      // A dead process's claim, and a mark not renewed for STALE_WAIT_MS (a stopped run), leave it alone.
      writeFileSync(path.join(dir, '1009-0-100000'), '');
      writeFileSync(path.join(dir, `wait-1010-0-${at.ms}`), '');
      const old = new Date(at.ms - 10_000);
      utimesSync(path.join(dir, `wait-1010-0-${at.ms}`), old, old);
      const third = run.claim(0.3);
      expect(await settled(third)).toBe(true);
      (await third).release();
      first.release();
      rmSync(path.join(dir, `wait-1010-0-${at.ms}`), { force: true });
    });

    it('waits while the load is unknown, and goes by the ledger alone where it cannot be read', async () => {
      at.ms = Date.now();
      const held = await budgetWith(1001, () => 'unknown').claim(0.1);
      ageClaims();
      const unknown = budgetWith(1002, () => 'unknown').claim(0.1);
      expect(await settled(unknown)).toBe(false);
      const unreadable = await budgetWith(1003, () => undefined).claim(0.1);
      unreadable.release();
      held.release();
      (await unknown).release();
    });
  });
});
