import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_STACKS_TO_FIT } from '../stack/pool-capacity.ts';
import { readStackCosts, thisMachine, writeStackCosts } from './stack-cost-file.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-stack-cost-'));
  file = path.join(dir, '.firedrill', 'stack-cost.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cost = (stacks: number) => ({ cpuCores: 0.2, memoryBytes: 3e8, stacks });

describe('the stack cost file', () => {
  it('takes a cost for this machine\'s only when it was measured here, over enough stacks', () => {
    writeStackCosts({ piyasa: cost(MIN_STACKS_TO_FIT), thebot: cost(MIN_STACKS_TO_FIT - 1) }, 'native', file);
    const costs = readStackCosts('native', file);
    expect(costs.get('piyasa')).toEqual({ ...cost(MIN_STACKS_TO_FIT), measuredHere: true });
    // One drill's stack is too few to price its system's heavier drills by.
    expect(costs.get('thebot')?.measuredHere).toBe(false);
    expect(readStackCosts('containers', file).size).toBe(0);
  });

  it('does not take a cost measured on another machine, or written before machines were noted, for this one\'s', () => {
    writeStackCosts({ piyasa: cost(18) }, 'native', file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.providers.native.piyasa.machine).toBe(thisMachine());
    doc.providers.native.piyasa.machine = 'ci-runner-7, 64 cores';
    doc.providers.native.thebot = { cpuCores: 0.3, memoryBytes: 7e8, stacks: 10 };
    writeFileSync(file, JSON.stringify(doc));
    const costs = readStackCosts('native', file);
    expect([costs.get('piyasa')?.measuredHere, costs.get('thebot')?.measuredHere]).toEqual([false, false]);
    // Still the best figure there is for sizing the pool.
    expect(costs.get('piyasa')?.cpuCores).toBe(0.2);
  });

  it('keeps the systems a run did not measure, and replaces those it did', () => {
    writeStackCosts({ piyasa: cost(18), thebot: cost(10) }, 'native', file);
    writeStackCosts({ thebot: { cpuCores: 0.5, memoryBytes: 9e8, stacks: 1 } }, 'native', file);
    const costs = readStackCosts('native', file);
    expect([costs.get('piyasa')?.measuredHere, costs.get('thebot')?.cpuCores, costs.get('thebot')?.measuredHere]).toEqual([true, 0.5, false]);
  });
});
