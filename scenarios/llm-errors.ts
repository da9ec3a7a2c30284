import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * 40% of Gemini calls fail: over HighLLMErrorRate's 15%, under LLMProviderFailure's 50%.
 * The ratio is taken over a 5m window that still holds healthy calls, so it passes 15% only
 * when ~15/40 of the window is failing: detection takes about 2-3m by design, and is only
 * guaranteed within one window (on a shared stack the window starts full of healthy calls).
 *
 *   1m errors -> pending ~3m, firing ~8m      14m healthy -> resolves
 *
 * Held so that the alert fires longer than group_wait + group_interval: HighLLMErrorRate groups
 * by service=llm, not by provider, so on a shared stack circuit-breaker's openai alert may have
 * left the group alive, and a new member is only sent at the group's next tick (see api-outage).
 */
export default defineScenario({
  name: 'llm-errors',
  system: 'piyasa',
  description: '40% of Gemini calls fail: HighLLMErrorRate notifies warnings, LLMProviderFailure stays quiet',
  duration: '15m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '13m', fault: fault.llmFailure('worker', { provider: 'gemini', ratio: 0.4 }) }],
  expect: [
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toFire({ detectWithin: '5m' }),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toNotify('warnings'),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toResolve(),
    expectAlert('LLMProviderFailure').toNotFire(),
  ],
});
