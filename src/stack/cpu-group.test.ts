import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCpuHierarchy, newCpuGroup, removeStaleGroups, type CpuGroup } from './cpu-group.ts';
import { ManagedProcess } from './managed-process.ts';
import { processTree, signalTree } from './process-tree.ts';
import { waitFor } from './wait-for.ts';

let scratch: string | undefined;
/** What a kernel test started, killed even when it fails half-way (its group then goes too). */
const started: { pid?: number }[] = [];
const groups: CpuGroup[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid !== undefined) signalTree(child.pid, 'SIGKILL');
  for (const group of groups.splice(0)) group.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function fakeSysfs(files: Record<string, string>): string {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-cpu-group-test-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), text);
  }
  return scratch;
}

describe('findCpuHierarchy', () => {
  it('cgroup v1: the cpu controller at this process\'s own place in it', () => {
    const sysfs = fakeSysfs({ 'cpu/cpu.shares': '1024', 'cpu/ci/job-7/cpu.shares': '1024' });
    expect(findCpuHierarchy(sysfs, '4:memory:/x\n2:cpu,cpuacct:/ci/job-7\n1:cpuset:/\n')).toEqual({ dir: path.join(sysfs, 'cpu/ci/job-7') });
  });

  it('cgroup v1 inside a container whose /proc/self/cgroup names a path of the host: the mount\'s root', () => {
    const sysfs = fakeSysfs({ 'cpu/cpu.shares': '1024' });
    expect(findCpuHierarchy(sysfs, '3:cpuacct,cpu:/docker/0123abcd\n')).toEqual({ dir: path.join(sysfs, 'cpu') });
  });

  it('cgroup v2: the root, when cpu is enabled for its children and this process sits at the root', () => {
    const sysfs = fakeSysfs({ 'cgroup.subtree_control': 'cpuset cpu io memory pids\n' });
    expect(findCpuHierarchy(sysfs, '0::/\n')).toEqual({ dir: sysfs });
  });

  it('none where groups cannot be had: v2 without cpu for children, v2 from a nested group, no cgroups at all', () => {
    expect(findCpuHierarchy(fakeSysfs({ 'cgroup.subtree_control': 'memory pids\n' }), '0::/\n')).toBeUndefined();
    expect(findCpuHierarchy(fakeSysfs({ 'cgroup.subtree_control': 'cpu memory\n' }), '0::/user.slice/session-3.scope\n')).toBeUndefined();
    expect(findCpuHierarchy(fakeSysfs({}), '')).toBeUndefined();
  });
});

describe('newCpuGroup', () => {
  it('makes its group again where an earlier process with the same pid left an empty one, and skips a busy one', () => {
    const sysfs = fakeSysfs({});
    // Every name this process could draw next, each left behind: empty, or holding something.
    for (let n = 1; n <= 400; n++) mkdirSync(path.join(sysfs, `firedrill-${process.pid}-${n}`));
    for (let n = 1; n <= 400; n += 2) writeFileSync(path.join(sysfs, `firedrill-${process.pid}-${n}`, 'busy'), '');
    expect(newCpuGroup({ dir: sysfs })).toBeDefined();
  });
});

describe('removeStaleGroups', () => {
  it('removes the empty groups of firedrill processes that are gone, and keeps a live one\'s and everything else', () => {
    const sysfs = fakeSysfs({ 'cpu/cpu.shares': '1024' });
    const dir = path.join(sysfs, 'cpu');
    const gone = spawn('true');
    const goneName = `firedrill-${gone.pid}-3`;
    for (const name of [goneName, `firedrill-${process.pid}-1`, 'docker', 'firedrill-other']) mkdirSync(path.join(dir, name));
    return new Promise<void>((resolve) => gone.once('exit', () => resolve())).then(() => {
      removeStaleGroups({ dir });
      expect(['docker', 'firedrill-other', `firedrill-${process.pid}-1`, goneName].map((name) => [name, existsSync(path.join(dir, name))])).toEqual([
        ['docker', true],
        ['firedrill-other', true],
        [`firedrill-${process.pid}-1`, true],
        [goneName, false],
      ]);
    });
  });
});

/** Whether a process runs: not gone, and not a zombie (killed, its exit not yet reaped). */
const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

// The real kernel's cgroups: the suite runs as root on Linux, where the cpu hierarchy is writable.
const real = findCpuHierarchy();
const cgroupOf = (pid: number) => /^\d+:(?:[^:]*,)?cpu(?:,[^:]*)?:(.*)$|^0::(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
const groupPathOf = (pid: number) => {
  const match = cgroupOf(pid);
  return match?.[1] ?? match?.[2];
};

describe.skipIf(!real)('CPU groups in the kernel', () => {
  it('holds a process and the children it forks after joining, gathers the ones forked before, and goes once they exit', async () => {
    const group = newCpuGroup(real)!;
    expect(group).toBeDefined();
    groups.push(group);
    // A shell with one child started before it joins, and one after (on a line of stdin).
    const shell = spawn('sh', ['-c', 'sleep 30 & read line; sleep 30 & echo started; wait'], { stdio: ['pipe', 'pipe', 'ignore'] });
    started.push(shell);
    const early = await waitFor('the shell\'s first sleep', async () => {
      const tree = processTree(shell.pid!);
      return tree.length >= 2 ? { value: tree[1]!, seen: '' } : { seen: `tree ${tree.join(' ')}` };
    }, { timeoutMs: 10_000, pollMs: 20 });
    const before = groupPathOf(shell.pid!);
    group.join(shell.pid!);
    const joined = groupPathOf(shell.pid!);
    expect(joined).not.toBe(before);
    expect(joined).toMatch(new RegExp(`/firedrill-${process.pid}-\\d+$`));
    expect(groupPathOf(early)).toBe(before);
    shell.stdin.write('go\n');
    await new Promise<void>((resolve) => shell.stdout.once('data', () => resolve()));
    const late = processTree(shell.pid!).find((pid) => pid !== shell.pid && pid !== early)!;
    expect(groupPathOf(late)).toBe(joined);
    group.gather(shell.pid!);
    expect(groupPathOf(early)).toBe(joined);

    const dir = path.join(real!.dir, path.basename(joined!));
    expect(existsSync(dir)).toBe(true);
    // Removal while its processes live cannot happen yet: it is retried until they are gone.
    group.remove();
    expect(existsSync(dir)).toBe(true);
    signalTree(shell.pid!, 'SIGKILL');
    await waitFor(`group ${dir} to be removed after its processes were killed`, async () => (existsSync(dir) ? { seen: 'still there' } : { value: true, seen: 'gone' }), { timeoutMs: 15_000, pollMs: 20 });
  });

  it('kills what a gone part left in its group (an orphan), then removes the group', async () => {
    const group = newCpuGroup(real)!;
    groups.push(group);
    // A shell that starts a sleep and exits: the sleep, re-parented, stays in the group.
    const shell = spawn('sh', ['-c', 'sleep 30 & echo $!'], { stdio: ['ignore', 'pipe', 'ignore'] });
    group.join(shell.pid!);
    const orphan = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
    started.push({ pid: orphan });
    await new Promise<void>((resolve) => (shell.exitCode === null ? shell.once('exit', () => resolve()) : resolve()));
    const dir = path.join(real!.dir, path.basename(groupPathOf(orphan)!));
    expect(running(orphan)).toBe(true);
    group.remove();
    await waitFor(`group ${dir} and its orphan ${orphan} to be gone`, async () => (existsSync(dir) || running(orphan) ? { seen: `group ${existsSync(dir)}, orphan running ${running(orphan)}` } : { value: true, seen: 'gone' }), { timeoutMs: 15_000, pollMs: 20 });
  });

  it('kills the processes of every group and removes the groups when firedrill exits with parts still running', () => {
    // In a process of its own that exits without stopping its part, as a crash would.
    const script = `import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { newCpuGroup } from ${JSON.stringify(path.resolve('src/stack/cpu-group.ts'))};
const group = newCpuGroup();
const sleeper = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
group.join(sleeper.pid);
process.stdout.write(sleeper.pid + ' ' + /firedrill-[0-9]+-[0-9]+/.exec(readFileSync('/proc/' + sleeper.pid + '/cgroup', 'utf8'))[0]);
process.exit(0);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    const [pid, name] = child.stdout.split(' ');
    expect({ code: child.status, stderr: child.stderr, name }).toEqual({ code: 0, stderr: '', name: expect.stringMatching(/^firedrill-\d+-\d+$/) });
    started.push({ pid: Number(pid) });
    // Killed: gone, or a zombie where no init reaps the orphans of the process that exited.
    expect([running(Number(pid)), existsSync(path.join(real!.dir, name!))]).toEqual([false, false]);
  });

  it('a managed process asked for a group of its own runs in one, and the group goes when it exits', async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'firedrill-cpu-group-test-'));
    const grouped = new ManagedProcess({ name: 'grouped', command: 'sleep', args: ['30'], logFile: path.join(scratch, 'grouped.log'), ownCpuGroup: true });
    const plain = new ManagedProcess({ name: 'plain', command: 'sleep', args: ['30'], logFile: path.join(scratch, 'plain.log') });
    started.push(grouped, plain);
    const own = groupPathOf(grouped.pid!)!;
    expect(own).toMatch(new RegExp(`/firedrill-${process.pid}-\\d+$`));
    expect(groupPathOf(plain.pid!)).toBe(groupPathOf(process.pid));
    await Promise.all([grouped.stop(), plain.stop()]);
    const dir = path.join(real!.dir, path.basename(own));
    await waitFor(`group ${dir} to be removed after its process exited`, async () => (existsSync(dir) ? { seen: 'still there' } : { value: true, seen: 'gone' }), { timeoutMs: 15_000, pollMs: 20 });
  });
});
