import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * 40% of Gemini calls fail: over HighLLMErrorRate's 15%, under LLMProviderFailure's 50%.
 * The ratio is taken over a 5m window full of healthy calls (the drill's history), so it
 * passes 15% once ~15/40 of the window is failing: detection takes about 2m by design.
 *
 *   1m errors -> pending ~3m, firing ~8m      14m healthy -> resolves
 */
export default defineScenario({
  name: 'llm-errors',
  system: 'piyasa',
  description: '40% of Gemini calls fail: HighLLMErrorRate notifies warnings, LLMProviderFailure stays quiet',
  duration: '15m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '13m', fault: fault.llmFailure('worker', { provider: 'gemini', ratio: 0.4 }) }],
  expect: [
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toFire({ fireAfter: '5m', detectWithin: '3m' }),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toNotify('warnings'),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toResolve(),
    expectAlert('LLMProviderFailure').toNotFire(),
  ],
});
