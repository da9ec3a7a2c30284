import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatDurationMs } from '../duration.ts';

export interface ProvisioningInput {
  /** Where Grafana's provisioning directory is written (point `paths.provisioning` at it). */
  readonly outDir: string;
  readonly prometheusUrl: string;
  /** Prometheus' scrape interval, as the data source's `timeInterval`: what `$__rate_interval` is computed from. */
  readonly scrapeIntervalMs: number;
  readonly dashboards: readonly { readonly file: string }[];
}

/**
 * The files a Grafana started by the user loads as they are (Grafana's file provisioning, apiVersion
 * 1): `datasources/firedrill.yaml`, a Prometheus data source named `Prometheus` (uid `prometheus`,
 * the default) at the populated Prometheus with its real scrape interval; `dashboards/firedrill.yaml`,
 * a file provider; and the dashboards themselves under `dashboards/json/`. Returns the files written.
 */
export function writeProvisioning(input: ProvisioningInput): string[] {
  const datasources = path.join(input.outDir, 'datasources');
  const dashboards = path.join(input.outDir, 'dashboards');
  const json = path.join(dashboards, 'json');
  mkdirSync(datasources, { recursive: true });
  mkdirSync(json, { recursive: true });
  const datasourceFile = path.join(datasources, 'firedrill.yaml');
  writeFileSync(
    datasourceFile,
    stringify({
      apiVersion: 1,
      datasources: [{ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: input.prometheusUrl, isDefault: true, editable: false, jsonData: { timeInterval: formatDurationMs(input.scrapeIntervalMs), httpMethod: 'POST' } }],
    }),
  );
  const providerFile = path.join(dashboards, 'firedrill.yaml');
  writeFileSync(
    providerFile,
    stringify({ apiVersion: 1, providers: [{ name: 'firedrill', orgId: 1, folder: 'firedrill', type: 'file', disableDeletion: false, allowUiUpdates: true, options: { path: path.resolve(json), foldersFromFilesStructure: false } }] }),
  );
  const copies = input.dashboards.map((d) => {
    const target = path.join(json, path.basename(d.file));
    copyFileSync(d.file, target);
    return target;
  });
  return [datasourceFile, providerFile, ...copies];
}
