import path from 'node:path';
import { globSync } from 'tinyglobby';

/** The `rule_files` patterns of a parsed prometheus.yml, as written; non-strings are promtool's to report. */
export function ruleFilePatterns(prometheusDoc: Record<string, unknown>): string[] {
  const patterns = prometheusDoc.rule_files;
  return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * The files a `rule_files` pattern loads, resolved as Prometheus does (relative to prometheus.yml's
 * directory) and named the way `prometheusFile` is (relative to `projectDir` when it is).
 * Braces and extglobs are off because Go's filepath.Glob has neither.
 */
export function filesMatching(prometheusFile: string, pattern: string, projectDir = process.cwd()): string[] {
  const dir = path.resolve(projectDir, path.dirname(prometheusFile));
  const found = globSync(pattern, { cwd: dir, absolute: true, dot: true, onlyFiles: true, expandDirectories: false, braceExpansion: false, extglob: false });
  const named = found.map((file) => (path.isAbsolute(prometheusFile) ? file : path.relative(projectDir, file)));
  return named.sort();
}

/** YAML files within three directory levels of prometheus.yml (not itself), relative to its directory: the candidates for a rule_files entry. */
export function yamlFilesNear(prometheusFile: string, projectDir = process.cwd()): string[] {
  const dir = path.resolve(projectDir, path.dirname(prometheusFile));
  const found = globSync(['**/*.yml', '**/*.yaml'], { cwd: dir, dot: false, onlyFiles: true, deep: 3, ignore: ['**/node_modules/**', '**/.git/**'] });
  return found.filter((file) => path.join(dir, file) !== path.resolve(projectDir, prometheusFile)).sort();
}
