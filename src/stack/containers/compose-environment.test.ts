import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { composeEnvironment } from './compose-environment.ts';
import { findDockerCompose } from './docker-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compose-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** A stand-in docker-compose: a shell script that answers `version` as `body` says, logging each call. */
function standIn(name: string, body: string): { file: string; calls: () => number } {
  const file = path.join(dir, name);
  const log = `${file}.calls`;
  writeFileSync(log, '');
  writeFileSync(file, `#!/bin/sh\necho "$SETUPTOOLS_USE_DISTUTILS" >> '${log}'\n${body}\n`);
  chmodSync(file, 0o755);
  return { file, calls: () => readFileSync(log, 'utf8').split('\n').length - 1 };
}

describe("docker-compose's environment", () => {
  it('gets the standard library distutils switch when docker-compose answers with it, probed once per executable', async () => {
    const compose = standIn('answers', 'echo 1.29.2');
    expect(await composeEnvironment(compose.file)).toEqual({ SETUPTOOLS_USE_DISTUTILS: 'stdlib' });
    expect(await composeEnvironment(compose.file)).toEqual({ SETUPTOOLS_USE_DISTUTILS: 'stdlib' });
    expect(compose.calls()).toBe(1);
  });

  it('gets nothing where the switch breaks it (a Python without distutils, 3.12 and later)', async () => {
    const compose = standIn('no-distutils', '[ "$SETUPTOOLS_USE_DISTUTILS" = stdlib ] && { echo "ModuleNotFoundError: No module named \'distutils\'" >&2; exit 1; }; echo 1.29.2');
    expect(await composeEnvironment(compose.file)).toEqual({});
  });

  it("leaves the user's own setting alone, without probing", async () => {
    vi.stubEnv('SETUPTOOLS_USE_DISTUTILS', 'local');
    const compose = standIn('user-set', 'echo 1.29.2');
    expect(await composeEnvironment(compose.file)).toEqual({});
    expect(compose.calls()).toBe(0);
  });

  it("gets the switch for this machine's docker-compose, which runs with it", async () => {
    const real = findDockerCompose();
    expect(await composeEnvironment(real)).toEqual({ SETUPTOOLS_USE_DISTUTILS: 'stdlib' });
    expect(execFileSync(real, ['version', '--short'], { encoding: 'utf8', env: { ...process.env, SETUPTOOLS_USE_DISTUTILS: 'stdlib' } })).toMatch(/^1\./);
  });
});
