import { defineScenario, expectAlert, fault } from '../src/index.ts';

/**
 * OpenAI's circuit breaker opens; every OpenAI call is rejected and counted as failed.
 * CircuitBreakerOpen{service="openai_api"} fires first (for 1m) and must mute
 * LLMProviderFailure{service="openai_api"} (for 2m) through the guide's second inhibition:
 * CircuitBreakerOpen -> .*Failure, equal: [service]. OpenAI's error rate also crosses
 * HighLLMErrorRate's 15%; that rule is drilled in llm-errors, here it may fire.
 *
 *   1m open -> CircuitBreakerOpen firing ~2m10s; LLMProviderFailure firing ~4m (inhibited)
 *   7m closed -> both resolve
 */
export default defineScenario({
  name: 'circuit-breaker',
  system: 'piyasa',
  description: 'The OpenAI circuit breaker opens: CircuitBreakerOpen pages and mutes LLMProviderFailure for openai_api',
  duration: '8m',
  traffic: [], // the worker generates on its own; no API traffic keeps the drill on the worker alone
  faults: [{ at: '1m', hold: '6m', fault: fault.circuitBreaker('worker', 'openai_api') }],
  expect: [
    expectAlert('CircuitBreakerOpen', { service: 'openai_api' }).toFire({ fireAfter: '1m', detectWithin: '1m', fireWithin: '2m' }),
    expectAlert('CircuitBreakerOpen', { service: 'openai_api' }).toNotify('high-priority'),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toFire({ fireAfter: '2m' }),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toBeInhibitedBy('CircuitBreakerOpen'),
    expectAlert('CircuitBreakerOpen', { service: 'openai_api' }).toResolve({ resolveWithin: '2m' }),
    expectAlert('LLMProviderFailure', { service: 'openai_api' }).toResolve(),
    expectAlert('HighLLMErrorRate', { provider: 'openai' }).toMayFire(),
  ],
});
