import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getJson } from '../observe/http-json.ts';
import { findStackBinaries } from '../stack/binaries.ts';
import { freePort, releasePort } from '../stack/free-port.ts';
import { ManagedProcess } from '../stack/managed-process.ts';
import { waitFor } from '../stack/wait-for.ts';

const READY_TIMEOUT_MS = 30_000;

/**
 * Runs `work` against a Prometheus that scrapes nothing and serves the blocks in `dir` (promtool's
 * rule backfill queries the raw history through the HTTP API). Afterwards only blocks stay in `dir`.
 */
export async function withBlocksPrometheus<T>(dir: string, logDir: string, signal: AbortSignal, work: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const config = path.join(logDir, 'blocks-prometheus.yml');
  writeFileSync(config, 'global: {}\n');
  const prometheus = new ManagedProcess({
    name: 'prometheus (history)',
    command: findStackBinaries().prometheus,
    args: [`--config.file=${config}`, `--storage.tsdb.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    logFile: path.join(logDir, 'blocks-prometheus.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('the history Prometheus to answer queries', async () => {
      await getJson(`${url}/api/v1/query?query=1`, 1_000);
      return { value: true, seen: 'answering' };
    }, { timeoutMs: READY_TIMEOUT_MS, pollMs: 100, abortIf: () => prometheus.unexpectedTrouble(), signal });
    return await work(url);
  } finally {
    await prometheus.stop();
    releasePort(port);
    for (const entry of readdirSync(dir)) {
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}
