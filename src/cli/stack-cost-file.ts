import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIN_STACKS_TO_FIT, type StackCost } from '../stack/pool-capacity.ts';

/**
 * Where a run keeps what each system's stacks cost on this machine, per provider (a stack in
 * containers costs more than the same stack of local processes: docker-compose, log followers);
 * the next run on that provider sizes its pool from it.
 */
export const STACK_COST_FILE = '.firedrill/stack-cost.json';

/**
 * A stored cost as a run reads it: whether it was measured on this machine, over enough stacks to
 * price its heavier drills by (MIN_STACKS_TO_FIT); such a cost frees its claims from the young
 * claims' cap (see MachineBudget).
 */
export interface StoredStackCost extends StackCost {
  readonly measuredHere: boolean;
}

/** A cost as the file keeps it, with the machine it was measured on. */
type CostEntry = Partial<StackCost> & { machine?: string };
type CostDocument = { providers?: Record<string, Record<string, CostEntry>> };

/** This machine, as far as what a stack costs goes: its name and its cores. A copied project directory, or one moved to a bigger machine, does not pass for it. */
export function thisMachine(): string {
  return `${os.hostname()}, ${os.availableParallelism()} cores`;
}

function readDocument(file: string): CostDocument {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CostDocument;
  } catch {
    return {};
  }
}

/** The last measured cost of each system's stacks on `provider`; empty when there is none (the reference cost applies). */
export function readStackCosts(provider: string, file = STACK_COST_FILE): Map<string, StoredStackCost> {
  const systems = readDocument(file).providers?.[provider] ?? {};
  const here = thisMachine();
  return new Map(
    Object.entries(systems)
      .filter((entry): entry is [string, StackCost & { machine?: string }] => isCost(entry[1]))
      .map(([system, { machine, ...cost }]) => [system, { ...cost, measuredHere: machine === here && (cost.stacks ?? 0) >= MIN_STACKS_TO_FIT }]),
  );
}

/** Keeps the systems measured now on `provider` (noting this machine), and everything else as it was. */
export function writeStackCosts(costs: Readonly<Record<string, StackCost>>, provider: string, file = STACK_COST_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const providers = readDocument(file).providers ?? {};
  const kept = Object.entries(providers[provider] ?? {}).filter(([, entry]) => isCost(entry));
  const measured = Object.entries(costs).map(([system, cost]) => [system, { ...cost, machine: thisMachine() }]);
  const doc = { providers: { ...providers, [provider]: Object.fromEntries([...kept, ...measured]) } };
  // Written aside and renamed: runs side by side never read half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(partial, file);
}

function isCost(doc: CostEntry): doc is StackCost {
  return typeof doc.cpuCores === 'number' && doc.cpuCores > 0 && typeof doc.memoryBytes === 'number' && doc.memoryBytes > 0;
}
