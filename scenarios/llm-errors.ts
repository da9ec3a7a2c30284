import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * 30% of Gemini calls fail: over HighLLMErrorRate's 15%, under LLMProviderFailure's 50%.
 *
 *   1m errors -> pending ~1m15s, firing ~6m15s      9m healthy -> resolves
 */
export default defineScenario({
  name: 'llm-errors',
  system: 'piyasa',
  description: '30% of Gemini calls fail: HighLLMErrorRate notifies warnings, LLMProviderFailure stays quiet',
  duration: '10m',
  traffic: [apiTraffic(5)],
  faults: [{ at: '1m', hold: '8m', fault: fault.llmFailure('worker', { provider: 'gemini', ratio: 0.3 }) }],
  expect: [
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toFire({ detectWithin: '1m' }),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toNotify('warnings'),
    expectAlert('HighLLMErrorRate', { provider: 'gemini' }).toResolve(),
    expectAlert('LLMProviderFailure').toNotFire(),
  ],
});
