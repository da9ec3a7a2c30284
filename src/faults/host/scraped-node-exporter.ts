// Test support: the real node_exporter on a free 127.0.0.1 port, scraped over HTTP.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { searchPath } from '../../config/which.ts';
import { FiredrillError } from '../../errors.ts';
import { freePort, releasePort } from '../../stack/free-port.ts';
import { ManagedProcess, waitUntilServing } from '../../stack/managed-process.ts';
import { waitFor } from '../../stack/wait-for.ts';

/** One scrape: its samples keyed by series as node_exporter writes them (`name{labels}`), and when it was taken. */
export interface Scrape {
  /** performance.now() halfway through the request: the best guess at when node_exporter read the files. */
  readonly atMs: number;
  readonly samples: ReadonlyMap<string, number>;
}

export interface ScrapedNodeExporter {
  readonly process: ManagedProcess;
  scrape(): Promise<Scrape>;
  stop(): Promise<void>;
}

export function findNodeExporter(env: NodeJS.ProcessEnv = process.env): string {
  const found = env.NODE_EXPORTER_BIN ?? searchPath(['prometheus-node-exporter', 'node_exporter'], env);
  if (!found) throw new FiredrillError('ENVIRONMENT', 'node_exporter not found on PATH; install it with: apt-get install prometheus-node-exporter, or set NODE_EXPORTER_BIN');
  return found;
}

/** Starts node_exporter with `args` and resolves once it serves a scrape. */
export async function startScrapedNodeExporter(args: readonly string[], logFile: string): Promise<ScrapedNodeExporter> {
  const port = await freePort();
  const exporter = new ManagedProcess({ name: 'node_exporter', command: findNodeExporter(), args: [`--web.listen-address=127.0.0.1:${port}`, ...args], logFile });
  const scrape = async (): Promise<Scrape> => {
    const sentAt = performance.now();
    const response = await request(`http://127.0.0.1:${port}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`GET /metrics answered ${response.statusCode}: ${text.slice(0, 200)}`);
    return { atMs: (sentAt + performance.now()) / 2, samples: parseSamples(text) };
  };
  const stop = async () => {
    await exporter.stop();
    releasePort(port);
  };
  try {
    await waitUntilServing(exporter, port, () =>
      waitFor('node_exporter to serve /metrics', async () => ({ value: await scrape(), seen: 'no answer' }), {
        timeoutMs: 15_000,
        pollMs: 100,
        abortIf: () => exporter.unexpectedExit(),
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: exporter, scrape, stop };
}

/** The text format's sample lines, as `series -> value`; comments and blank lines skipped. */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** The value of `series` in `scrape`, or a failure naming what the scrape held instead. */
export function sampleOf(scrape: Scrape, series: string): number {
  const value = scrape.samples.get(series);
  if (value !== undefined) return value;
  const family = series.split('{')[0]!;
  const near = [...scrape.samples.keys()].filter((key) => key.startsWith(family)).slice(0, 5);
  throw new Error(`no sample ${series} in the scrape; ${near.length > 0 ? `it has ${near.join(', ')}` : `no ${family} series at all`}`);
}
