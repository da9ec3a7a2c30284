import { FiredrillError } from '../../errors.ts';
import { startStack } from '../native-stack.ts';
import type { StackProvider } from '../stack-provider.ts';
import { COMPOSE_FILE_VARIABLES, composeLauncher, type ComposeTools } from './compose-launcher.ts';
import { sweepOrphanProjects } from './compose-projects.ts';
import { composeEnvironment } from './compose-environment.ts';
import { containerCgroupParent, findDockerCompose, requireDockerEngine } from './docker-cli.ts';
import { IMAGE_RECIPES, missingImages } from './images.ts';

/**
 * The containers provider: Prometheus, Alertmanager, the exporters and the services that name an
 * image in containers from docker-compose.test.yml, the rest of the system (other services,
 * dependencies, proxies, simulated hosts) as on the native stack.
 * `prepare` checks the engine, docker-compose and the images before any stack starts.
 */
export function containersStackProvider(): StackProvider {
  let tools: ComposeTools | undefined;
  return {
    name: 'containers',
    prepare: async () => {
      tools = await composeTools();
    },
    start: (compiled, options = {}) => {
      const ready = tools;
      if (!ready) throw new FiredrillError('ENVIRONMENT', 'the containers provider was not prepared before its first start');
      return startStack(compiled, options, (launch) => composeLauncher(launch, compiled, ready));
    },
  };
}

async function composeTools(): Promise<ComposeTools> {
  await requireDockerEngine();
  sweepOrphanProjects();
  const composePath = findDockerCompose();
  // Every image docker-compose.test.yml names (the Node.js one is for users' compose files), unless
  // the user points its variables at images of their own.
  const unbuilt = new Set(await missingImages());
  const missing = IMAGE_RECIPES.filter((r) => r.variables.some((v) => COMPOSE_FILE_VARIABLES.has(v) && !process.env[v]) && unbuilt.has(r.tag));
  if (missing.length > 0) {
    throw new FiredrillError(
      'ENVIRONMENT',
      `--stack containers: image ${missing.map((r) => r.tag).join(', ')} not built; run npm run images (builds them from Debian's packages), or set ${missing.flatMap((r) => r.variables).join(', ')} to images you can pull`,
    );
  }
  const images = Object.fromEntries(IMAGE_RECIPES.flatMap((r) => r.variables.map((v) => [v, process.env[v] ?? r.tag])));
  const [cgroupParent, composeEnv] = await Promise.all([containerCgroupParent(), composeEnvironment(composePath)]);
  return { composePath, composeEnv, images, ...(cgroupParent === undefined ? {} : { cgroupParent }) };
}
