import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackCost } from '../stack/pool-capacity.ts';

/** Where a run keeps what its stacks cost on this machine; the next run sizes its pool from it. */
export const STACK_COST_FILE = '.firedrill/stack-cost.json';

/** The last measured cost, or undefined when there is none or it does not read as one. */
export function readStackCost(file = STACK_COST_FILE): StackCost | undefined {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<StackCost>;
    if (typeof doc.cpuCores === 'number' && doc.cpuCores > 0 && typeof doc.memoryBytes === 'number' && doc.memoryBytes > 0) return { cpuCores: doc.cpuCores, memoryBytes: doc.memoryBytes };
  } catch {
    // no measurement yet: the reference cost applies
  }
  return undefined;
}

export function writeStackCost(cost: StackCost, file = STACK_COST_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed: runs side by side never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(cost)}\n`);
  renameSync(partial, file);
}
