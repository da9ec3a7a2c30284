import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackCost } from '../stack/pool-capacity.ts';

/**
 * Where a run keeps what each system's stacks cost on this machine, per provider (a stack in
 * containers costs more than the same stack of local processes: docker-compose, log followers);
 * the next run on that provider sizes its pool from it.
 */
export const STACK_COST_FILE = '.firedrill/stack-cost.json';

type CostDocument = { providers?: Record<string, Record<string, Partial<StackCost>>> };

function readDocument(file: string): CostDocument {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CostDocument;
  } catch {
    return {};
  }
}

/** The last measured cost of each system's stacks on `provider`; empty when there is none (the reference cost applies). */
export function readStackCosts(provider: string, file = STACK_COST_FILE): Map<string, StackCost> {
  const systems = readDocument(file).providers?.[provider] ?? {};
  return new Map(Object.entries(systems).filter((entry): entry is [string, StackCost] => isCost(entry[1])));
}

/** Keeps the systems measured now on `provider`, and everything else as it was. */
export function writeStackCosts(costs: Readonly<Record<string, StackCost>>, provider: string, file = STACK_COST_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const providers = readDocument(file).providers ?? {};
  const doc = { providers: { ...providers, [provider]: { ...Object.fromEntries(readStackCosts(provider, file)), ...costs } } };
  // Written aside and renamed: runs side by side never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(partial, file);
}

function isCost(doc: Partial<StackCost>): doc is StackCost {
  return typeof doc.cpuCores === 'number' && doc.cpuCores > 0 && typeof doc.memoryBytes === 'number' && doc.memoryBytes > 0;
}
