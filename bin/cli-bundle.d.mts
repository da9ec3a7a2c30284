/** The URL of the CLI's bundle under `root` (the package's root by default), or undefined where none can be built or kept. */
export function cliBundle(root?: string): Promise<string | undefined>;
