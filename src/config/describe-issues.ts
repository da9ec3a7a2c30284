import type { z } from 'zod';

/**
 * Renders every zod issue as `field.path: message`, the shape every firedrill input error takes,
 * on one line. Given the schema, an unknown key names the key it most likely meant, or the keys
 * that are known there, and the "missing" error of the key it meant is left out: a typo is one
 * mistake, not two.
 */
export function describeZodIssues(error: z.ZodError, schema?: z.ZodType, input?: unknown): string {
  if (error.issues.length === 0) return 'invalid';
  // Each unknown key's issue, with the keys known where it is and the one each unknown key meant ('' for none).
  const unknown = new Map<z.core.$ZodIssue, { known: string[]; meant: string[] }>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys' || !schema) continue;
    const known = knownKeysAt(schema, issue.path, input);
    unknown.set(issue, { known, meant: issue.keys.map((key) => closest(key, known) ?? '') });
  }
  const impliedMissing = (issue: z.core.$ZodIssue) =>
    issue.code === 'invalid_type' &&
    /received undefined/.test(issue.message) &&
    [...unknown].some(([typo, { meant }]) => meant.includes(String(issue.path.at(-1))) && sameParent(typo.path, issue.path));
  const valueAt = (path: readonly PropertyKey[]): unknown => path.reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined), input);
  return error.issues
    .filter((issue) => !impliedMissing(issue))
    .map((issue) => `${issue.path.length > 0 ? pathText(issue.path) : '(top level)'}: ${messageOf(issue, unknown.get(issue), valueAt(issue.path))}`)
    .join('; ');
}

function messageOf(issue: z.core.$ZodIssue, unknown: { known: string[]; meant: string[] } | undefined, value: unknown): string {
  // zod's own words for these name no fix: "expected string, received undefined", "Invalid discriminator value".
  if (issue.code === 'invalid_type' && value === undefined && issue.path.length > 0) return `missing; give it (${issue.expected})`;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options) && issue.options.length > 0) {
    const options = issue.options.map(String);
    if (value === undefined) return `missing; give it (one of: ${options.join(', ')})`;
    const guess = typeof value === 'string' ? closest(value, options) : undefined;
    return `${JSON.stringify(value)} is not one firedrill knows${guess ? ` (did you mean "${guess}"?)` : ''}; known: ${options.join(', ')}`;
  }
  if (issue.code !== 'unrecognized_keys' || !unknown) return issue.message;
  return issue.keys
    .map((key, i) => {
      const guess = unknown.meant[i];
      if (guess) return `unknown key "${key}" (did you mean "${guess}"?)`;
      return unknown.known.length > 0 ? `unknown key "${key}"; known: ${unknown.known.join(', ')}` : `unknown key "${key}"`;
    })
    .join('; ');
}

// Indexes as the rest of firedrill's messages write them: faults[0].at, not faults.0.at.
function pathText(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

function sameParent(objectPath: readonly PropertyKey[], fieldPath: readonly PropertyKey[]): boolean {
  return fieldPath.length === objectPath.length + 1 && objectPath.every((part, i) => part === fieldPath[i]);
}

/**
 * The keys an object of `schema` may have at `path`; none when the path leads to no object. Under
 * a discriminated union, those of the branch `input` names (`type: 'redis'`), else every branch's.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input?: unknown): string[] {
  const keys = new Set<string>();
  const valueAt = (depth: number): unknown => path.slice(0, depth).reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined), input);
  const visit = (node: z.ZodType, rest: readonly PropertyKey[]): void => {
    const def = (node as unknown as { def: { type: string } & Record<string, unknown> }).def;
    const inner = (key: string) => def[key] as z.ZodType;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
        return visit(inner('innerType'), rest);
      case 'pipe':
        return visit(inner('in'), rest);
      case 'union': {
        const options = def.options as z.ZodType[];
        const named = (valueAt(path.length - rest.length) as Record<string, unknown> | undefined)?.[String(def.discriminator)];
        const chosen = typeof def.discriminator === 'string' && named !== undefined ? options.filter((option) => literalOf(option, def.discriminator as string).includes(named)) : [];
        return (chosen.length > 0 ? chosen : options).forEach((option) => visit(option, rest));
      }
      case 'array':
        return rest.length > 0 && typeof rest[0] === 'number' ? visit(inner('element'), rest.slice(1)) : undefined;
      case 'record':
        return rest.length > 0 ? visit(inner('valueType'), rest.slice(1)) : undefined;
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        if (rest.length === 0) return Object.keys(shape).forEach((key) => keys.add(key));
        const next = shape[String(rest[0])];
        return next ? visit(next, rest.slice(1)) : undefined;
      }
      default:
        return undefined;
    }
  };
  visit(schema, path);
  return [...keys];
}

/** The values a branch of a discriminated union takes for its discriminator. */
function literalOf(option: z.ZodType, discriminator: string): unknown[] {
  const shape = (option as unknown as { def: { shape?: Record<string, { def: { type: string; values?: unknown[] } }> } }).def.shape;
  const field = shape?.[discriminator]?.def;
  return field?.type === 'literal' ? (field.values ?? []) : [];
}

/** The known key `key` is most likely a misspelling of: a few edits away (case aside), or undefined. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit (`sevrices`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
