import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { badInput } from '../errors.ts';

export type YamlMap = Record<string, unknown>;

/** Reads a YAML file that must hold a mapping; errors name the file and line. */
export function readYamlMap(file: string): YamlMap {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badInput(`${relativeName(file)}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw badInput(`${relativeName(file)}: expected a YAML mapping at the top level`);
  }
  return doc as YamlMap;
}

export function relativeName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

export function asMap(value: unknown, where: string): YamlMap {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput(`${where}: expected a mapping`);
  return value as YamlMap;
}

export function asList(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badInput(`${where}: expected a list`);
  return value;
}
