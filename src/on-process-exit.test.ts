import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('onProcessExit', () => {
  it('runs each cleanup once, in the order first registered, past one that throws, from one exit listener', () => {
    // In a process of its own: the cleanups run only as it exits.
    const script = `import { onProcessExit } from ${JSON.stringify(path.resolve('src/on-process-exit.ts'))};
const before = process.listenerCount('exit');
const say = (word) => () => process.stdout.write(word + ' ');
const first = say('first');
onProcessExit(first);
onProcessExit(() => { throw new Error('a cleanup that fails'); });
onProcessExit(say('last'));
onProcessExit(first);
process.stdout.write('listeners:' + (process.listenerCount('exit') - before) + ' ');
process.exit(3);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect({ code: child.status, stderr: child.stderr, stdout: child.stdout.trim() }).toEqual({ code: 3, stderr: '', stdout: 'listeners:1 first last' });
  });
});
