import { defineScenario, expectAlert, fault } from '../src/index.ts';
import { apiTraffic } from './lib/piyasa-traffic.ts';

/**
 * The inhibition's negative control. Gemini's breaker is open while OpenAI fails outright.
 * LLMProviderFailure fires for both; only gemini_api shares the breaker's `service` label,
 * so only it is muted: the openai_api failure must reach high-priority.
 *
 *   1m gemini breaker open + openai failing -> CircuitBreakerOpen{gemini_api} firing ~2m10s,
 *   LLMProviderFailure{openai_api} firing ~3m20s (notified), {gemini_api} (inhibited)
 */
export default defineScenario({
  name: 'llm-provider-failure',
  system: 'piyasa',
  description: 'OpenAI fails while the Gemini breaker is open: only the Gemini failure is muted (equal: [service])',
  duration: '8m',
  traffic: [apiTraffic(5)],
  faults: [
    { at: '1m', hold: '6m', fault: fault.circuitBreaker('worker', 'gemini_api') },
    { at: '1m', hold: '6m', fault: fault.llmFailure('worker', { provider: 'openai' }) },
  ],
  expect: [
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toFire(),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toNotify('high-priority'),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toResolve(),
    expectAlert('LLMProviderFailure', { service: 'gemini_api' }).toBeInhibitedBy('CircuitBreakerOpen'),
  ],
});
