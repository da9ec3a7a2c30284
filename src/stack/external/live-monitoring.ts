import { parse } from 'yaml';
import type { SourceDocs } from '../../compile/compile-system.ts';
import type { YamlMap } from '../../compile/yaml-file.ts';
import { badInput } from '../../errors.ts';
import { getJson, trimSlash } from '../../observe/http-json.ts';

interface ApiRule {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  /** `for`, seconds. */
  readonly duration?: number;
  readonly keepFiringFor?: number;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface ApiRuleGroup {
  readonly name: string;
  readonly file: string;
  /** Seconds. */
  readonly interval: number;
  readonly rules: readonly ApiRule[];
}

async function read<T>(url: string, what: string, field: string): Promise<T> {
  try {
    return await getJson<T>(url);
  } catch (error) {
    throw badInput(`${field}: could not read ${what} from ${url} (${(error as Error).message.split('\n')[0]}); is the URL right and the server up?`);
  }
}

/** `/api/v1/rules` as the rule files Prometheus loaded: one document per file, groups and rules as written. */
export function ruleFilesOf(groups: readonly ApiRuleGroup[]): SourceDocs['ruleFiles'] {
  const byFile = new Map<string, ApiRuleGroup[]>();
  for (const group of groups) byFile.set(group.file, [...(byFile.get(group.file) ?? []), group]);
  return [...byFile].map(([file, fileGroups]) => ({
    file,
    doc: {
      groups: fileGroups.map((g) => ({
        name: g.name,
        interval: `${g.interval}s`,
        rules: g.rules.map((r) =>
          r.type === 'alerting'
            ? { alert: r.name, expr: r.query, ...(r.duration ? { for: `${r.duration}s` } : {}), ...(r.keepFiringFor ? { keep_firing_for: `${r.keepFiringFor}s` } : {}), ...(r.labels && Object.keys(r.labels).length ? { labels: r.labels } : {}) }
            : { record: r.name, expr: r.query, ...(r.labels && Object.keys(r.labels).length ? { labels: r.labels } : {}) },
        ),
      })),
    } as YamlMap,
  }));
}

/**
 * What a running stack really runs, read from its APIs: Prometheus' loaded config
 * (/api/v1/status/config) and rules with their `for` (/api/v1/rules), Alertmanager's routing tree,
 * receivers and inhibitions (/api/v2/status). Verdicts then judge staging's rules, not a copy.
 */
export async function readLiveMonitoring(urls: { readonly prometheus: string; readonly alertmanager: string }, at: string): Promise<SourceDocs> {
  const [config, rules, status] = await Promise.all([
    read<{ data: { yaml: string } }>(`${trimSlash(urls.prometheus)}/api/v1/status/config`, "Prometheus' config", `${at}.prometheus`),
    read<{ data: { groups: ApiRuleGroup[] } }>(`${trimSlash(urls.prometheus)}/api/v1/rules`, "Prometheus' rules", `${at}.prometheus`),
    read<{ config: { original: string } }>(`${trimSlash(urls.alertmanager)}/api/v2/status`, "Alertmanager's config", `${at}.alertmanager`),
  ]);
  return {
    prometheus: (parse(config.data.yaml) ?? {}) as YamlMap,
    ruleFiles: ruleFilesOf(rules.data.groups),
    alertmanager: (parse(status.config.original) ?? {}) as YamlMap,
  };
}
