import { execCommand } from './docker-cli.ts';

/** setuptools' own switch: use the standard library's distutils, not setuptools' copy of it. */
const STDLIB_DISTUTILS = { SETUPTOOLS_USE_DISTUTILS: 'stdlib' } as const;
const composeEnvironments = new Map<string, Promise<Readonly<Record<string, string>>>>();

/**
 * What docker-compose's environment gets on top of the caller's, probed once per executable.
 * Debian's docker-compose v1 imports distutils, which setuptools replaces with its own copy; that
 * loads pkg_resources, about half of what each `up` costs (measured on one small service: 0.56
 * CPU-seconds and 0.78 s per `up`, 0.31 and 0.52 s with the switch; a stack makes two `up`s).
 * The switch needs a Python that still has distutils (before 3.12), so it is used only once
 * `docker-compose version` answers with it, and never over the user's own setting.
 */
export function composeEnvironment(composePath: string): Promise<Readonly<Record<string, string>>> {
  if (process.env.SETUPTOOLS_USE_DISTUTILS !== undefined) return Promise.resolve({});
  let probed = composeEnvironments.get(composePath);
  if (!probed) {
    probed = execCommand(composePath, ['version', '--short'], { env: STDLIB_DISTUTILS }).then(
      () => STDLIB_DISTUTILS,
      () => ({}),
    );
    composeEnvironments.set(composePath, probed);
  }
  return probed;
}
