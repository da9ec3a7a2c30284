import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackCost } from '../stack/pool-capacity.ts';

/** Where a run keeps what each system's stacks cost on this machine; the next run sizes its pool from it. */
export const STACK_COST_FILE = '.firedrill/stack-cost.json';

/** The last measured cost of each system's stacks; empty when there is none (the reference cost applies). */
export function readStackCosts(file = STACK_COST_FILE): Map<string, StackCost> {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { systems?: Record<string, Partial<StackCost>> };
    return new Map(Object.entries(doc.systems ?? {}).filter((entry): entry is [string, StackCost] => isCost(entry[1])));
  } catch {
    return new Map();
  }
}

/** Keeps the systems measured now, and the others as they were. */
export function writeStackCosts(costs: Readonly<Record<string, StackCost>>, file = STACK_COST_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const systems = { ...Object.fromEntries(readStackCosts(file)), ...costs };
  // Written aside and renamed: runs side by side never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify({ systems }, null, 2)}\n`);
  renameSync(partial, file);
}

function isCost(doc: Partial<StackCost>): doc is StackCost {
  return typeof doc.cpuCores === 'number' && doc.cpuCores > 0 && typeof doc.memoryBytes === 'number' && doc.memoryBytes > 0;
}
