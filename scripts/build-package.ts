// Builds what `import ... from 'firedrill'` loads in another project: each entry bundled to ES
// module and CommonJS (npm's default project type) with dependencies left external, and type
// declarations beside them. Runs on `npm pack`, `npm publish` and installs from a git URL (prepare).
// The CLI itself runs from src/ through tsx, which it needs anyway to load users' TypeScript configs.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ENTRIES = ['src/index.ts', 'src/vitest.ts'];
const LIB = 'dist/lib';
const TYPES = 'dist/types';
// The same declarations, read as CommonJS (the folder's package.json says so) for `require` users.
const CJS_TYPES = 'dist/types-cjs';

rmSync(LIB, { recursive: true, force: true });
rmSync(TYPES, { recursive: true, force: true });
rmSync(CJS_TYPES, { recursive: true, force: true });
for (const format of ['esm', 'cjs'] as const) {
  await build({
    entryPoints: ENTRIES,
    outdir: LIB,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    packages: 'external',
    outExtension: { '.js': format === 'esm' ? '.js' : '.cjs' },
    logLevel: 'warning',
  });
}
execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// Declarations keep the sources' `.ts` specifiers; consumers resolve `.js` to the `.d.ts` beside it.
for (const file of walk(TYPES)) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2'));
}
cpSync(TYPES, CJS_TYPES, { recursive: true });
writeFileSync(path.join(CJS_TYPES, 'package.json'), '{ "type": "commonjs" }\n');
console.log(`firedrill package build: ${LIB} (esm + cjs) and ${TYPES} (and ${CJS_TYPES} for require)`);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.d.ts') ? [full] : [];
  });
}
