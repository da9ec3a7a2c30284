import { FiredrillError } from '../../errors.ts';
import { startStack } from '../native-stack.ts';
import type { StackProvider } from '../stack-provider.ts';
import { composeLauncher, type ComposeTools } from './compose-launcher.ts';
import { sweepOrphanProjects } from './compose-projects.ts';
import { containerCgroupParent, findDockerCompose, requireDockerEngine } from './docker-cli.ts';
import { IMAGE_RECIPES, missingImages } from './images.ts';

/**
 * The containers provider: Prometheus and Alertmanager in containers from docker-compose.test.yml,
 * the rest of the system (services, dependencies, exporters, proxies) as on the native stack.
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
      return startStack(compiled, options, (runDir) => composeLauncher(runDir, compiled, ready));
    },
  };
}

async function composeTools(): Promise<ComposeTools> {
  await requireDockerEngine();
  sweepOrphanProjects();
  const composePath = findDockerCompose();
  const chosen = IMAGE_RECIPES.filter((r) => process.env[r.variable]);
  const missing = (await missingImages()).filter((tag) => !chosen.some((r) => r.tag === tag));
  const needed = IMAGE_RECIPES.filter((r) => r.variable === 'FIREDRILL_PROMETHEUS_IMAGE' || r.variable === 'FIREDRILL_ALERTMANAGER_IMAGE');
  const missingNeeded = needed.filter((r) => !process.env[r.variable] && missing.includes(r.tag));
  if (missingNeeded.length > 0) {
    throw new FiredrillError(
      'ENVIRONMENT',
      `--stack containers: image ${missingNeeded.map((r) => r.tag).join(', ')} not built; run npm run images (builds them from Debian's packages), or set ${missingNeeded.map((r) => r.variable).join(', ')} to images you can pull`,
    );
  }
  const images = Object.fromEntries(IMAGE_RECIPES.map((r) => [r.variable, process.env[r.variable] ?? r.tag]));
  const cgroupParent = await containerCgroupParent();
  return { composePath, images, ...(cgroupParent === undefined ? {} : { cgroupParent }) };
}
