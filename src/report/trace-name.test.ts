import { describe, expect, it } from 'vitest';
import { traceName } from './trace-name.ts';

const t = (labels: Record<string, string>) => ({ alertname: 'HighLLMErrorRate', labels: { alertname: 'HighLLMErrorRate', job: 'w', instance: 'i', ...labels } });

describe('traceName', () => {
  it('names a trace by the labels that set it apart from the other traces of its alert', () => {
    const gemini = t({ provider: 'gemini', service: 'llm', severity: 'warning' });
    const groq = t({ provider: 'groq', service: 'llm', severity: 'warning' });
    expect(traceName(gemini, [gemini, groq])).toBe('HighLLMErrorRate{provider="gemini"}');
  });

  it('shows service and severity of a lone trace, never job or instance', () => {
    expect(traceName(t({ service: 'llm', severity: 'warning', provider: 'x' }))).toBe('HighLLMErrorRate{service="llm",severity="warning"}');
  });
});
