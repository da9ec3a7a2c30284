import { badInput } from '../errors.ts';
import { BuiltinEngine } from './builtin-engine.ts';
import type { TrafficEngine } from './traffic.ts';

export type EngineRequest = 'auto' | 'builtin' | 'k6';

/** `auto` is the builtin pacer until the k6 engine lands; `k6` is refused with the reason. */
export function chooseEngine(request: EngineRequest): TrafficEngine {
  if (request === 'k6') {
    throw badInput('--engine k6: the k6 engine is not available in this version; use --engine builtin (or auto)');
  }
  return new BuiltinEngine();
}
