import { readFileSync } from 'node:fs';
import { badInput } from '../errors.ts';
import type { GateResult } from '../gate/run-gate.ts';
import type { RunResult } from './run-result.ts';

/** A run or gate result JSON from disk; anything else is bad input, named after the command reading it. */
export function readResultFile(file: string, command: string): GateResult | RunResult {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badInput(`${command}: ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not a result JSON (${(error as Error).message.split('\n')[0]})`}`);
  }
  const isRun = (d: unknown): d is RunResult => typeof d === 'object' && d !== null && Array.isArray((d as RunResult).scenarios);
  if (isRun(doc) || (typeof doc === 'object' && doc !== null && isRun((doc as GateResult).run) && Array.isArray((doc as GateResult).systems))) return doc as GateResult | RunResult;
  throw badInput(`${command}: ${file}: not a firedrill run or gate result JSON (no scenarios)`);
}

export function isGateResult(doc: GateResult | RunResult): doc is GateResult {
  return 'systems' in doc;
}
