import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FiredrillError } from '../../errors.ts';
import { docker, dockerOutput, execCommand } from './docker-cli.ts';

// No image registry is reachable on the machines firedrill is built for, so every image is built
// here from Debian's archive: a base root file system made by debootstrap and imported, then one
// image per program, its Debian package installed on that base. Each image carries a label with a
// hash of everything it is built from; an image whose label matches is not built again.

const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = process.env.FIREDRILL_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const INPUTS_LABEL = 'firedrill.inputs';

export const BASE_IMAGE = `firedrill/debian:${DEBIAN_SUITE}`;

export interface ImageRecipe {
  /** The tag docker-compose.test.yml's defaults for it are replaced with. */
  readonly tag: string;
  /** The variables docker-compose.test.yml reads the image from (e.g. FIREDRILL_PROMETHEUS_IMAGE). */
  readonly variables: readonly string[];
  readonly packages: readonly string[];
  readonly entrypoint?: readonly string[];
  /** Links to the packages' programs at the paths the official images run them from: link -> program. */
  readonly links?: Readonly<Record<string, string>>;
}

/** The images of the containers stack, each from Debian's packages on the debootstrap base. */
export const IMAGE_RECIPES: readonly ImageRecipe[] = [
  { tag: 'firedrill/prometheus:local', variables: ['FIREDRILL_PROMETHEUS_IMAGE'], packages: ['prometheus'], entrypoint: ['/usr/bin/prometheus'] },
  { tag: 'firedrill/alertmanager:local', variables: ['FIREDRILL_ALERTMANAGER_IMAGE'], packages: ['prometheus-alertmanager'], entrypoint: ['/usr/bin/prometheus-alertmanager'] },
  {
    // One image for the four exporters (each service names its entrypoint, as the official images have it).
    tag: 'firedrill/exporters:local',
    variables: ['FIREDRILL_NODE_EXPORTER_IMAGE', 'FIREDRILL_POSTGRES_EXPORTER_IMAGE', 'FIREDRILL_REDIS_EXPORTER_IMAGE', 'FIREDRILL_BLACKBOX_EXPORTER_IMAGE'],
    packages: ['prometheus-node-exporter', 'prometheus-postgres-exporter', 'prometheus-blackbox-exporter', 'prometheus-redis-exporter'],
    links: {
      '/bin/node_exporter': '/usr/bin/prometheus-node-exporter',
      '/bin/postgres_exporter': '/usr/bin/prometheus-postgres-exporter',
      '/redis_exporter': '/usr/bin/prometheus-redis-exporter',
      '/bin/blackbox_exporter': '/usr/bin/prometheus-blackbox-exporter',
    },
  },
  { tag: 'firedrill/node:local', variables: ['FIREDRILL_NODE_IMAGE'], packages: ['nodejs', 'ca-certificates'], entrypoint: ['/usr/bin/node'] },
];

export function dockerfileFor(recipe: ImageRecipe): string {
  return [
    `FROM ${BASE_IMAGE}`,
    // The packages' maintainer scripts would start services and create users a container never needs.
    `RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \\`,
    ` && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${recipe.packages.join(' ')} \\`,
    ' && rm -rf /var/lib/apt/lists/*',
    ...Object.entries(recipe.links ?? {}).map(([link, program]) => `RUN ln -sf ${program} ${link}`),
    ...(recipe.entrypoint ? [`ENTRYPOINT ${JSON.stringify(recipe.entrypoint)}`] : []),
    '',
  ].join('\n');
}

export interface ImageOutcome {
  readonly tag: string;
  readonly built: boolean;
  readonly seconds: number;
}

/** Builds every image that is missing or whose inputs changed; `log` gets one line per image. */
export async function buildImages(log: (line: string) => void = () => undefined): Promise<ImageOutcome[]> {
  const outcomes = [await ensureBaseImage(log)];
  const baseId = (await dockerOutput(['image', 'inspect', '--format', '{{.Id}}', BASE_IMAGE])).trim();
  for (const recipe of IMAGE_RECIPES) {
    const dockerfile = dockerfileFor(recipe);
    const inputs = hash(dockerfile, baseId);
    const started = Date.now();
    if ((await labelOf(recipe.tag)) === inputs) {
      outcomes.push({ tag: recipe.tag, built: false, seconds: 0 });
      log(`${recipe.tag}: up to date`);
      continue;
    }
    log(`${recipe.tag}: building (${recipe.packages.join(', ')})`);
    // The legacy builder (no buildx here); host networking so apt reaches the archive as this machine does.
    await docker(['build', '--network', 'host', '--label', `${INPUTS_LABEL}=${inputs}`, '-t', recipe.tag, '-'], { input: dockerfile, env: { DOCKER_BUILDKIT: '0' } });
    outcomes.push({ tag: recipe.tag, built: true, seconds: (Date.now() - started) / 1000 });
  }
  return outcomes;
}

async function ensureBaseImage(log: (line: string) => void): Promise<ImageOutcome> {
  const inputs = hash(DEBIAN_SUITE, DEBIAN_MIRROR, 'minbase');
  if ((await labelOf(BASE_IMAGE)) === inputs) {
    log(`${BASE_IMAGE}: up to date`);
    return { tag: BASE_IMAGE, built: false, seconds: 0 };
  }
  if (process.getuid?.() !== 0) {
    throw new FiredrillError('ENVIRONMENT', `building ${BASE_IMAGE} needs root (debootstrap makes a root file system): run npm run images as root once`);
  }
  log(`${BASE_IMAGE}: debootstrap --variant=minbase ${DEBIAN_SUITE} ${DEBIAN_MIRROR}`);
  const started = Date.now();
  const root = mkdtempSync(path.join(os.tmpdir(), 'firedrill-debootstrap-'));
  try {
    await docker(['--version']); // the engine's client first: no point in a root file system without it
    await execCommand('debootstrap', ['--variant=minbase', DEBIAN_SUITE, root, DEBIAN_MIRROR]);
    await execCommand('sh', ['-c', `tar -C "$1" -c . | docker import --change "LABEL ${INPUTS_LABEL}=${inputs}" - "$2"`, 'import', root, BASE_IMAGE]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { tag: BASE_IMAGE, built: true, seconds: (Date.now() - started) / 1000 };
}

async function labelOf(tag: string): Promise<string | undefined> {
  try {
    const label = (await dockerOutput(['image', 'inspect', '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}}`, tag])).trim();
    return label === '' || label === '<no value>' ? undefined : label;
  } catch {
    return undefined; // no such image
  }
}

/** The tags of the images the containers stack needs that are not built yet. */
export async function missingImages(): Promise<string[]> {
  const missing: string[] = [];
  for (const recipe of IMAGE_RECIPES) if ((await labelOf(recipe.tag)) === undefined) missing.push(recipe.tag);
  return missing;
}

/** The compose variables that point docker-compose.test.yml at the local builds. */
export function localImageEnvironment(): Record<string, string> {
  return Object.fromEntries(IMAGE_RECIPES.flatMap((r) => r.variables.map((v) => [v, r.tag])));
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
