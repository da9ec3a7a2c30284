import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * Every LLM call takes 11s longer. Latency is real time (never scaled), so the first slow
 * generation completes 11 wall seconds after the fault: 3m40s of rule time at scale 20, 7m20s
 * at scale 40. The default detection bound adds the injected delay for that reason.
 *
 *   1m slow -> first slow observation 11s (wall) later -> pending, firing 10m after
 *   21m fast again -> resolves once in-flight calls finish and the 5m window is clean
 */
export default defineScenario({
  name: 'generation-latency',
  system: 'piyasa',
  description: 'LLM calls take 11s longer: HighMessageGenerationLatency notifies warnings',
  duration: '22m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '20m', fault: fault.slowGeneration('worker', '11s') }],
  expect: [
    expectAlert('HighMessageGenerationLatency').toFire({ fireAfter: '10m' }),
    // Rule time from the fault to the page, routing included (the warnings route's 30s group_wait);
    // the 11 s of real time before the first slow generation completes is allowed on top.
    expectAlert('HighMessageGenerationLatency').toNotify('warnings', { notifyWithin: '14m' }),
    expectAlert('HighMessageGenerationLatency').toResolve(),
  ],
});
