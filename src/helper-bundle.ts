import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Beside the package's node_modules, as the CLI's own bundle (bin/cli-bundle.mjs).
const CACHE = fileURLToPath(new URL('../node_modules/.cache/firedrill-helpers/', import.meta.url));

/** A bundle on disk with what it was made from: each input's size and modification time. One file, renamed into place whole. */
interface Kept {
  readonly inputs: Record<string, string>;
  readonly code: string;
}

const inProcess = new Map<string, Promise<string>>();

/**
 * `file` and everything it imports as one CommonJS script for a helper process (helper-process.ts): made once per
 * process, and kept on disk until one of its inputs changes. Each command that runs drills
 * started an esbuild service and bundled its two helpers' code anew (about 0.7 CPU-seconds with
 * the service's start), though that code changes only with firedrill itself.
 */
export function helperBundle(file: string): Promise<string> {
  let code = inProcess.get(file);
  if (!code) {
    code = bundleKeptOnDisk(file);
    inProcess.set(file, code);
    // A failure is not kept: the next helper (a later drill's) bundles again.
    code.catch(() => inProcess.delete(file));
  }
  return code;
}

/** `file`'s bundle from the disk when none of its inputs changed since it was made, else made (and kept) now. */
export function bundleKeptOnDisk(file: string): Promise<string> {
  return keptBundle(file) ?? build(file);
}

/** Where `file`'s bundle is kept. */
export function keptAt(file: string): string {
  return path.join(CACHE, `${file.replace(/[^a-zA-Z0-9]+/g, '_').slice(-120)}.json`);
}

const stamp = (file: string) => {
  const { size, mtimeMs } = statSync(file);
  return `${size}:${mtimeMs}`;
};

function keptBundle(file: string): Promise<string> | undefined {
  try {
    const { inputs, code } = JSON.parse(readFileSync(keptAt(file), 'utf8')) as Kept;
    if (Object.keys(inputs).length === 0 || !Object.entries(inputs).every(([input, was]) => stamp(input) === was)) return undefined;
    return Promise.resolve(code);
  } catch {
    return undefined; // none kept, or an input gone: bundle anew
  }
}

async function build(file: string): Promise<string> {
  // esbuild loads with the first helper, not with the CLI: `--help` and bad input never start one.
  const { build: esbuild } = await import('esbuild');
  const root = path.dirname(file);
  const result = await esbuild({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, metafile: true, absWorkingDir: root, logLevel: 'silent' });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${file}`);
  try {
    const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((input) => [path.resolve(root, input), stamp(path.resolve(root, input))]));
    const kept = keptAt(file);
    mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed: a command starting meanwhile reads it whole, or bundles anew.
    writeFileSync(`${kept}.${process.pid}.tmp`, JSON.stringify({ inputs, code: output.text } satisfies Kept));
    renameSync(`${kept}.${process.pid}.tmp`, kept);
  } catch {
    // not kept (a read-only install): this process has its bundle all the same
  }
  return output.text;
}
