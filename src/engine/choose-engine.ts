import { badInput } from '../errors.ts';
import { findK6 } from '../stack/binaries.ts';
import { BuiltinEngine } from './builtin-engine.ts';
import type { DrillEngine } from './drill-engine.ts';
import { K6Engine } from './k6-engine.ts';

export type EngineRequest = 'auto' | 'builtin' | 'k6';

/** `auto`: k6 where a k6 binary is found ($K6_BIN, then PATH), else the builtin pacer. */
export function chooseEngine(request: EngineRequest, env: NodeJS.ProcessEnv = process.env): DrillEngine {
  if (request === 'builtin') return new BuiltinEngine();
  const k6 = findK6(env);
  if (k6) return new K6Engine(k6);
  if (request === 'k6') throw badInput('--engine k6: no k6 binary found; put k6 on PATH or set K6_BIN, or use --engine builtin');
  return new BuiltinEngine();
}
