// A service whose /metrics stalls once, a second into the drill, with no fault in effect: what a
// starved CPU does to a scrape on a busy machine, made to happen on cue (verify/machine-interference.test.ts).
// Four systems run the same service: it stalls in its first life only (`once`), in every life
// (`always`), or answers 500 at once instead of stalling (`error`: a failure of the target's own),
// in its first life only (`error-once`: a system not healthy when its drill's faults began). A
// fifth (`slow-restart`) does not stall: each restart takes 6.5 s to listen again. Two more hold
// the service's main thread once while a drill has stopped the Redis it names: starved of CPU
// (`starve-once`), or asleep as if waiting on that Redis (`block-once`).
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '../../src/index.ts';

const marker = process.env.FIREDRILL_STALL_MARKER ?? path.join(os.tmpdir(), `firedrill-stall-marker-${process.pid}`);
const system = (mode: string, prometheus = 'prometheus.yml') => ({
  prometheus,
  alertmanager: 'alertmanager.yml',
  services: { api: { command: ['node', 'service.mjs'], job: 'api', faultPath: null, env: { STALL_MODE: mode, STALL_MARKER: `${marker}-${mode}` } } },
});
const usingRedis = (mode: string) => {
  const base = system(mode);
  return { ...base, dependencies: { cache: { type: 'redis' as const } }, services: { api: { ...base.services.api, env: { ...base.services.api.env, CACHE_ADDRESS: '{{cache}}' } } } };
};

export default defineConfig({
  systems: {
    once: system('once'),
    always: system('always'),
    error: system('error'),
    'error-once': system('error-once'),
    'slow-restart': system('slow-restart', 'prometheus-restart.yml'),
    'starve-once': usingRedis('starve-once'),
    'block-once': usingRedis('block-once'),
  },
  scenarios: 'scenarios',
});
