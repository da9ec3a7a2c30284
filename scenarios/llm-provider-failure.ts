import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * The inhibition's negative control. Gemini's breaker is open while OpenAI fails outright.
 * LLMProviderFailure fires for both; only gemini_api shares the breaker's `service` label,
 * so only it is muted: the openai_api failure must reach high-priority. Both providers' error
 * rates also cross HighLLMErrorRate's 15%; that rule is drilled in llm-errors.
 *
 *   1m gemini breaker open + openai failing -> CircuitBreakerOpen{gemini_api} firing ~2m10s,
 *   LLMProviderFailure{openai_api} firing ~4m (notified), {gemini_api} (inhibited)      9m healthy
 */
export default defineScenario({
  name: 'llm-provider-failure',
  system: 'piyasa',
  description: 'OpenAI fails while the Gemini breaker is open: only the Gemini failure is muted (equal: [service])',
  duration: '10m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [
    { at: '1m', hold: '8m', fault: fault.circuitBreaker('worker', 'gemini_api') },
    { at: '1m', hold: '8m', fault: fault.llmFailure('worker', { provider: 'openai' }) },
  ],
  expect: [
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toFire({ fireAfter: '2m' }),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toNotify('high-priority'),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toResolve(),
    expectAlert('LLMProviderFailure', { service: 'gemini_api' }).toBeInhibitedBy('CircuitBreakerOpen'),
    expectAlert('HighLLMErrorRate').toMayFire(),
  ],
});
