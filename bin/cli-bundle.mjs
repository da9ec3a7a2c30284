// The CLI as one ES module, bundled from src/ and kept in node_modules/.cache until a source file
// changes. Loading src/ through a TypeScript loader routes each of its few hundred modules (and
// every package module imported after it) through the loader's thread: `firedrill --help` took
// 2.3 CPU-seconds that way, 0.75 from the bundle. The test suite starts the CLI hundreds of times,
// and a user's every command pays it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The URL of the bundle of `<root>/src/cli/main.ts`, built first if no bundle matches the sources;
 * undefined where it cannot be built or kept (then run src/ through the loader).
 */
export async function cliBundle(root = fileURLToPath(new URL('..', import.meta.url))) {
  // Beside the package's node_modules, so that the bundle's imports (its packages, left external) resolve from it.
  const cache = path.join(root, 'node_modules', '.cache', 'firedrill-cli');
  try {
    const bundle = path.join(cache, `main-${fingerprint(root)}.mjs`);
    try {
      statSync(bundle);
    } catch {
      await build(path.join(root, 'src', 'cli', 'main.ts'), cache, bundle);
    }
    return pathToFileURL(bundle).href;
  } catch {
    return undefined;
  }
}

/** Every source file's path, size and modification time (and this file's, and tsconfig.json's, which esbuild reads): a change to any makes a new bundle. */
function fingerprint(root) {
  const hash = createHash('sha256');
  // An installed package has no tsconfig.json.
  const tsconfig = path.join(root, 'tsconfig.json');
  for (const file of [fileURLToPath(import.meta.url), ...(existsSync(tsconfig) ? [tsconfig] : []), ...sourceFiles(path.join(root, 'src'))]) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}:${size}:${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return /\.(ts|mts|cts|js|mjs|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
    });
}

async function build(entry, cache, bundle) {
  mkdirSync(cache, { recursive: true });
  const { build: esbuild } = await import('esbuild'); // only when building: loading it costs more than a start
  // Written aside and renamed, so that commands starting at once never load a half-written file.
  const partial = `${bundle}.${process.pid}.tmp`;
  await esbuild({
    entryPoints: [entry],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    plugins: [sourceLocations],
  });
  renameSync(partial, bundle);
  // Older bundles go; a command still running has its bundle loaded already.
  for (const name of readdirSync(cache)) {
    if (name.startsWith('main-') && path.join(cache, name) !== bundle && !name.endsWith('.tmp')) rmSync(path.join(cache, name), { force: true });
  }
}

/**
 * Each module's `import.meta.url` stays its source file's: the CLI finds files beside its sources
 * by it (its helper processes' entries, the k6 runtime, docker-compose.test.yml), where a bundle
 * would give them all the bundle's own URL.
 */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.[mc]?ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};
