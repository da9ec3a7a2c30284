import { spawn } from 'node:child_process';
import { searchPath } from '../../config/which.ts';
import { FiredrillError } from '../../errors.ts';
import { trackChild } from '../process-registry.ts';

/** What to do when there is no Docker engine, in the words of this machine's packages. */
export const DOCKER_FIX =
  'install Debian\'s docker.io and docker-compose (apt-get install docker.io docker-compose) and start the engine (dockerd &), then run npm run images';

export interface ExecOptions {
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a command to its end; resolves with its stdout, rejects with a one-line error quoting its last stderr line. */
export function execCommand(command: string, args: readonly string[], options: ExecOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new FiredrillError('ENVIRONMENT', error.code === 'ENOENT' ? `${command} not found: ${command === 'docker' ? DOCKER_FIX : `install ${command}`}` : `${command}: ${error.message}`)),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve(stdout);
      const last = stderr.trim().split('\n').at(-1) ?? '';
      reject(new FiredrillError('ENVIRONMENT', `${command} ${args.slice(0, 2).join(' ')} failed (exit ${code})${last ? `: ${last}` : ''}`));
    });
    // A command that exits without reading its input (a quick one) closes the pipe under the
    // write: its exit code tells what happened, and the EPIPE would otherwise crash the process.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export async function docker(args: readonly string[], options: ExecOptions = {}): Promise<void> {
  await execCommand('docker', args, options);
}

export function dockerOutput(args: readonly string[]): Promise<string> {
  return execCommand('docker', args);
}

/** Exit 2 before anything starts when no Docker engine answers, with the command that fixes it. */
export async function requireDockerEngine(why = '--stack containers'): Promise<void> {
  try {
    await dockerOutput(['version', '--format', '{{.Server.Version}}']);
  } catch (error) {
    const seen = error instanceof Error ? error.message : String(error);
    throw new FiredrillError('ENVIRONMENT', `${why} needs a Docker engine, and none answers (${seen.replace(/^docker [^:]*: /, '')}): ${DOCKER_FIX}`);
  }
}

/** An image the stack runs that must be on this machine already (nothing is pulled mid-run): exit 2 naming it and `where` otherwise. */
export async function requireImage(image: string, where: string): Promise<void> {
  try {
    await dockerOutput(['image', 'inspect', '--format', '{{.Id}}', image]);
  } catch {
    const local = image.startsWith('firedrill/') ? 'run npm run images (builds the firedrill/*:local images from Debian\'s packages)' : `docker pull ${image}, or name an image this machine has`;
    throw new FiredrillError('ENVIRONMENT', `${where}: image ${image} is not on this machine; ${local}`);
  }
}

/** docker-compose (v1, Debian's): $DOCKER_COMPOSE_BIN, then PATH; Testcontainers drives it as a standalone executable. */
export function findDockerCompose(): string {
  const found = process.env.DOCKER_COMPOSE_BIN ?? searchPath(['docker-compose']);
  if (!found) throw new FiredrillError('ENVIRONMENT', 'docker-compose not found: apt-get install docker-compose (or set DOCKER_COMPOSE_BIN)');
  return found;
}

let cgroupParent: Promise<string | undefined> | undefined;

/**
 * The cgroup parent firedrill's containers get: `/` on an engine with the cgroupfs driver, so that
 * each container has a top-level cgroup of its own and weighs what a process does when the CPU is
 * short. By default every container sits under one `docker` cgroup that weighs one process, so on
 * a busy machine all containers together got one process's share (seen at load 12: a fault
 * endpoint not answering within 5 s, health probes failing). Undefined (the engine's default) for
 * other drivers.
 */
export function containerCgroupParent(): Promise<string | undefined> {
  cgroupParent ??= dockerOutput(['info', '--format', '{{.CgroupDriver}}']).then(
    (driver) => (driver.trim() === 'cgroupfs' ? '/' : undefined),
    () => undefined,
  );
  return cgroupParent;
}
