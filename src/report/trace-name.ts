import type { AlertTrace } from '../observe/alert-trace.ts';

/** Labels every series carries that tell nothing about which series it is. */
const NOT_DISTINGUISHING = new Set(['alertname', 'instance', 'job']);
/** Shown for a lone trace: what an on-call reads first. */
const HEADLINE = ['service', 'severity'];

/**
 * An alert as PromQL writes a selector: its name and the labels that tell it apart from the other
 * traces of the same alert (`among`), else its service and severity.
 * @example traceName(t, all) // 'HighLLMErrorRate{provider="gemini"}'
 */
export function traceName(trace: Pick<AlertTrace, 'alertname' | 'labels'>, among: readonly Pick<AlertTrace, 'alertname' | 'labels'>[] = []): string {
  const siblings = among.filter((t) => t.alertname === trace.alertname && t !== trace);
  const keys = Object.keys(trace.labels).filter((k) => !NOT_DISTINGUISHING.has(k));
  const distinguishing = keys.filter((k) => siblings.some((s) => s.labels[k] !== trace.labels[k]));
  const shown = distinguishing.length > 0 ? distinguishing : keys.filter((k) => HEADLINE.includes(k));
  return `${trace.alertname}{${shown.map((k) => `${k}="${trace.labels[k]}"`).join(',')}}`;
}
