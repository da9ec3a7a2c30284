import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * Every LLM call takes 11s longer. Latency is real time (never scaled), so the first slow
 * generation completes 11 wall seconds (~3m40s of rule time) after the fault.
 *
 *   1m slow -> first slow observation ~4m40s -> pending ~5m, firing ~15m (for 10m)
 *   18m fast again -> resolves once in-flight calls finish and the 5m window is clean
 */
export default defineScenario({
  name: 'generation-latency',
  system: 'piyasa',
  description: 'LLM calls take 11s longer: HighMessageGenerationLatency notifies warnings',
  duration: '19m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '17m', fault: fault.slowGeneration('worker', '11s') }],
  expect: [
    expectAlert('HighMessageGenerationLatency').toFire(),
    expectAlert('HighMessageGenerationLatency').toNotify('warnings'),
    expectAlert('HighMessageGenerationLatency').toResolve(),
  ],
});
