import path from 'node:path';

/**
 * Why a TypeScript file (config or scenario) could not be imported, in one line with the cause
 * first: a syntax error as `file:line:column: message` (esbuild's transform error, through tsx),
 * anything else as its first line.
 */
export function describeLoadError(error: unknown, shown: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const located = message.split('\n').map((line) => /^(.*):(\d+):(\d+): ERROR: (.*)$/.exec(line.trim())).find((m) => m !== null);
  if (located) {
    const file = path.relative(process.cwd(), located[1]!) || shown;
    // esbuild counts columns from 0; editors and compilers from 1.
    return `${file}:${located[2]}:${Number(located[3]) + 1}: ${located[4]}`;
  }
  return `${shown}: cannot be loaded: ${message.split('\n')[0]}`;
}
