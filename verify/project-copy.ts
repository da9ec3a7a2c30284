// A copy of an example project with some of its text changed (an alert or a route broken), for a
// gate that must fail on it.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** In `file` (relative to the project), the first `from` becomes `to`. */
export interface TextEdit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

export interface ProjectCopy {
  readonly dir: string;
  remove(): void;
}

/**
 * A copy of the project at `source` with `edits` made, its `.firedrill` directory left out. Inside
 * the repo (under `.firedrill/`), so that the copy's `from 'firedrill'` resolves to this package,
 * as it does in a user's project. Throws, naming the file, when a text to change is not there.
 */
export function editedCopy(source: string, edits: readonly TextEdit[]): ProjectCopy {
  mkdirSync('.firedrill', { recursive: true });
  const parent = mkdtempSync(path.resolve(`.firedrill/${path.basename(source)}-`));
  const remove = () => rmSync(parent, { recursive: true, force: true });
  const dir = path.join(parent, 'broken');
  try {
    cpSync(source, dir, { recursive: true, filter: (file) => path.basename(file) !== '.firedrill' });
    for (const edit of edits) {
      const file = path.join(dir, edit.file);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(edit.from)) throw new Error(`${path.join(source, edit.file)}: '${edit.from}' is not there to change; update the edits of its copy in verify/`);
      writeFileSync(file, text.replace(edit.from, edit.to));
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, remove };
}
