import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { badInput } from '../../errors.ts';
import type { LintInput } from './lint-finding.ts';
import { filesMatching, ruleFilePatterns } from './rule-file-patterns.ts';

/**
 * Reads prometheus.yml and every rule file its `rule_files` load, for `lintRules`. Paths stay as
 * relative as `prometheusFile` is (to `projectDir`), so findings name files the way the caller does.
 * @example lintRules(readLintInput('monitoring/prometheus.yml'))
 */
export function readLintInput(prometheusFile: string, projectDir?: string): LintInput {
  const base = projectDir ?? process.cwd();
  const prometheusDoc = readMapping(path.resolve(base, prometheusFile), prometheusFile);
  const files = [...new Set(ruleFilePatterns(prometheusDoc).flatMap((pattern) => filesMatching(prometheusFile, pattern, base)))];
  const ruleFiles = files.map((file) => ({ file, doc: readMapping(path.resolve(base, file), file) }));
  return { ...(projectDir === undefined ? {} : { projectDir }), prometheusFile, prometheusDoc, ruleFiles };
}

function readMapping(file: string, named: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badInput(`${named}: cannot read YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  // An empty rule file is valid for Prometheus; it loads nothing.
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw badInput(`${named}: expected a YAML mapping at the top level`);
  return doc as Record<string, unknown>;
}
