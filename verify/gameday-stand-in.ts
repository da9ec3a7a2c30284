// The staging stand-in for the game-day tests: `firedrill up --scale 1` of verify/gameday/ in a
// process of its own, a stack the game day under test did not start and does not own. Its URLs
// and fault token reach the game day only through the environment, as a team's would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { httpJson } from '../src/observe/http-json.ts';
import { waitFor } from '../src/stack/wait-for.ts';

export const GAMEDAY_CONFIG = path.resolve('verify/gameday/firedrill.config.ts');
const BIN = path.resolve('bin/firedrill.mjs');

/** A native stack is ready within seconds; on a busy 2-core machine give it a minute. */
const READY_WITHIN_MS = 90_000;

export interface StandIn {
  /** GAMEDAY_* variables: the stand-in's URLs, the allowlist, the fault token. */
  readonly env: Record<string, string>;
  /** The stand-in's fault controller's records: what faults are in force there. */
  faults(): Promise<{ id: string; revertedAtMs: number | null; spec: { target: string; kind: string } }[]>;
  /** Alertmanager's silences, expired ones included. */
  silences(): Promise<{ id: string; createdBy: string; comment: string; status: { state: string } }[]>;
  stop(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'up', '--scale', '1', '--config', GAMEDAY_CONFIG], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    await once(child, 'exit');
  };
  try {
    await waitFor('firedrill up to print its stack (press Ctrl-C)', async () => ({ value: output.includes('press Ctrl-C') ? true : undefined, seen: output.trim().split('\n').at(-1) ?? 'no output' }), {
      timeoutMs: READY_WITHIN_MS,
      pollMs: 200,
      abortIf: () => (child.exitCode !== null ? `firedrill up exited ${child.exitCode}: ${output.trim()}` : undefined),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = (label: string) => new RegExp(`${label}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(output)![1]!;
  const controller = url('fault controller');
  const token = /Bearer ([0-9a-f]+)/.exec(output)![1]!;
  const env = {
    GAMEDAY_PROMETHEUS: url('prometheus'),
    GAMEDAY_ALERTMANAGER: url('alertmanager'),
    GAMEDAY_API: url('service api'),
    GAMEDAY_FAULTS: controller,
    GAMEDAY_FAULT_TOKEN: token,
  };
  return {
    env,
    faults: async () => (await httpJson<never[]>('GET', `${controller}/faults`, { headers: { authorization: `Bearer ${token}` } })).body,
    silences: async () => (await httpJson<never[]>('GET', `${env.GAMEDAY_ALERTMANAGER}/api/v2/silences`)).body,
    stop,
  };
}
