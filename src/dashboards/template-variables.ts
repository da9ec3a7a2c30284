import { getJson } from '../observe/http-json.ts';
import { escapeRegexValue } from '../observe/promql-parts.ts';
import type { GrafanaVariable } from './grafana-dashboard.ts';

/** A dashboard variable as Grafana would set it on a fresh load: every value it can take, and the ones selected. */
export interface ResolvedVariable {
  readonly name: string;
  /** What the variable's query or options gave. */
  readonly values: readonly string[];
  /** What a panel's query gets: one value, a regex of several, or the `allValue`; undefined when nothing matched. */
  readonly substitute: string | undefined;
  /** Why there is no value, for the check's report. */
  readonly problem?: string;
}

const queryText = (v: GrafanaVariable) => (typeof v.query === 'string' ? v.query : (v.query?.query ?? ''));

/** `label_values(metric, label)` or `label_values(label)` through Prometheus' label values API over the range. */
async function labelValues(prometheusUrl: string, query: string, fromMs: number, toMs: number): Promise<string[] | string> {
  const m = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (!m) return `query '${query}' is not label_values(...): the check resolves only label_values, custom and constant variables`;
  const params = new URLSearchParams({ start: String(fromMs / 1000), end: String(toMs / 1000) });
  if (m[1]) params.append('match[]', m[1]);
  const body = await getJson<{ data: string[] }>(`${prometheusUrl}/api/v1/label/${m[2]}/values?${params}`);
  return body.data;
}

function filtered(values: readonly string[], regex: string | undefined): string[] {
  if (!regex) return [...values];
  const m = /^\/(.*)\/([a-z]*)$/.exec(regex);
  const re = m ? new RegExp(m[1]!, m[2]) : new RegExp(regex);
  return values.flatMap((v) => {
    const match = re.exec(v);
    if (!match) return [];
    return [match[1] ?? v]; // a capture group picks the part to use, as in Grafana
  });
}

/**
 * Resolves each variable as a fresh dashboard load would: its values from Prometheus (or its
 * options), then the current selection, `All` (or a multi-value selection) as the regex
 * `(a|b|c)` of every value, or the variable's `allValue` when it has one.
 */
export async function resolveVariables(variables: readonly GrafanaVariable[], prometheusUrl: string, fromMs: number, toMs: number): Promise<ResolvedVariable[]> {
  const resolved: ResolvedVariable[] = [];
  for (const v of variables) {
    let values: string[];
    if (v.type === 'query') {
      const got = await labelValues(prometheusUrl, substituteVariables(queryText(v), resolved), fromMs, toMs);
      if (typeof got === 'string') {
        resolved.push({ name: v.name, values: [], substitute: undefined, problem: got });
        continue;
      }
      values = filtered(got, v.regex);
    } else if (v.type === 'custom') {
      values = queryText(v).split(',').map((s) => s.trim()).filter(Boolean);
    } else if (v.type === 'constant' || v.type === 'textbox') {
      values = [queryText(v)];
    } else {
      values = (v.options ?? []).map((o) => o.value);
    }
    const current = v.current?.value;
    const wantsAll = current === '$__all' || (Array.isArray(current) && current.includes('$__all')) || current === undefined;
    if (values.length === 0) {
      resolved.push({ name: v.name, values, substitute: undefined, problem: `variable $${v.name} matches no value${v.type === 'query' ? ` (${queryText(v)} returned none over the range)` : ''}` });
      continue;
    }
    let substitute: string;
    if ((v.includeAll && wantsAll) || (v.multi && Array.isArray(current) && current.length > 1)) {
      const chosen = v.includeAll && wantsAll ? values : values.filter((x) => (current as readonly string[]).includes(x));
      substitute = v.includeAll && wantsAll && v.allValue ? v.allValue : `(${(chosen.length ? chosen : values).map(escapeRegexValue).join('|')})`;
    } else {
      const one = Array.isArray(current) ? current[0] : current;
      substitute = typeof one === 'string' && values.includes(one) ? one : values[0]!;
      if (v.multi || v.includeAll) substitute = escapeRegexValue(substitute);
    }
    resolved.push({ name: v.name, values, substitute });
  }
  return resolved;
}

/** The variables a query names (`$x`, `${x}`, `${x:fmt}`, `[[x]]`), Grafana's built-ins (`__`) left out. */
export function variablesIn(expr: string): string[] {
  const names = [...expr.matchAll(/\$\{([a-zA-Z0-9_]+)(?::[^}]*)?\}|\$([a-zA-Z0-9_]+)|\[\[([a-zA-Z0-9_]+)\]\]/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...new Set(names.filter((n) => !n.startsWith('__')))];
}

/** Each named variable replaced by its substitute; names with none are left as they are. */
export function substituteVariables(expr: string, variables: readonly ResolvedVariable[]): string {
  const byName = new Map(variables.map((v) => [v.name, v.substitute]));
  const value = (name: string, whole: string) => byName.get(name) ?? whole;
  return expr
    .replace(/\$\{([a-zA-Z0-9_]+)(?::[^}]*)?\}/g, (whole, name: string) => value(name, whole))
    .replace(/\[\[([a-zA-Z0-9_]+)\]\]/g, (whole, name: string) => value(name, whole))
    .replace(/\$([a-zA-Z0-9_]+)/g, (whole, name: string) => (name.startsWith('__') ? whole : value(name, whole)));
}
