import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** An executable file? */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found executable on PATH, as `which` would find it; undefined when none is. */
export function searchPath(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Where a command would run from: a path (relative to `cwd`) when it holds a slash, else PATH. */
export function resolveCommand(command: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    return isExecutable(file) ? file : undefined;
  }
  return searchPath([command], env);
}
