import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { badInput } from '../../errors.ts';
import type { LintInput } from './lint-finding.ts';
import { filesMatching, ruleFilePatterns } from './rule-file-patterns.ts';

/**
 * Reads prometheus.yml and every rule file its `rule_files` load, for `lintRules`.
 * Paths stay as relative as `prometheusFile` is, so findings name files the way the caller does.
 * @example lintRules(readLintInput('monitoring/prometheus.yml'))
 */
export function readLintInput(prometheusFile: string): LintInput {
  const prometheusDoc = readMapping(prometheusFile);
  const files = [...new Set(ruleFilePatterns(prometheusDoc).flatMap((pattern) => filesMatching(prometheusFile, pattern)))];
  return { prometheusFile, prometheusDoc, ruleFiles: files.map((file) => ({ file, doc: readMapping(file) })) };
}

function readMapping(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badInput(`${file}: cannot read YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  // An empty rule file is valid for Prometheus; it loads nothing.
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw badInput(`${file}: expected a YAML mapping at the top level`);
  return doc as Record<string, unknown>;
}
