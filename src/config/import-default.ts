import { pathToFileURL } from 'node:url';

/**
 * The default export of a user's module (config, scenario). In a CommonJS project (npm's default)
 * a TypeScript file compiles to CommonJS, and its `export default` becomes `module.exports.default`
 * beside an `__esModule` flag; the CLI, loaded before the TypeScript loader, gets that object as
 * the module's default and unwraps it, as a TypeScript importer would.
 */
export async function importDefault(file: string): Promise<unknown> {
  const exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  if (typeof exported === 'object' && exported !== null && (exported as { __esModule?: unknown }).__esModule === true && 'default' in exported) {
    return (exported as { default: unknown }).default;
  }
  return exported;
}
