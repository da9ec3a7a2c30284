import { describe, expect, it } from 'vitest';
import type { RunResult, ScenarioResult } from '../run-result.ts';
import { drillResult } from '../test-results.ts';
import { roomSummaryHtml } from './room-summary.ts';

const early = 'HighLLMErrorRate{provider="groq"} went pending at +0.4s, 7.1s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)';
const why = 'HighLLMErrorRate{provider="groq"} went pending before the faults on both attempts of api-errors too, so the run takes its rule to fire on healthy traffic, not on a busy machine alone, and keeps this failure';
const drill = drillResult({ expectations: [{ description: 'HighLLMErrorRate does not fire', ok: false, kind: 'doesNotFire', alert: 'HighLLMErrorRate', detail: 'fired at +2.0s' }] });
const run = (s: ScenarioResult): RunResult => ({ ok: false, scale: 40, stack: 'native', engine: 'builtin', scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375, stackReadySeconds: 0, scenarios: [s] });
/** The `<li>` lines of the summary's part on what the machine did. */
const machineNotes = (html: string) => [...(html.split('What this machine did to the drills')[1] ?? '').matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);

describe('roomSummaryHtml', () => {
  it('says what the machine did to a failed drill, and why that drill was not run again', () => {
    expect(machineNotes(roomSummaryHtml(run({ ...drill, machineInterference: [early], notRunAgain: why })))).toEqual([
      `llm-errors (failed): ${early}`.replaceAll('"', '&quot;'),
      `llm-errors: not run again: ${why}`.replaceAll('"', '&quot;'),
    ]);
  });

  it('has no such part when the machine did nothing', () => {
    expect(roomSummaryHtml(run(drill))).not.toContain('What this machine did');
  });
});
