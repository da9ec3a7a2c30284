// Grafana cannot be installed here, so the provisioning files are checked for the shape Grafana's
// file provisioning (apiVersion 1) reads: the fields it needs, with the values a populated stack needs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeProvisioning } from './grafana-provisioning.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Grafana provisioning', () => {
  it('points a default Prometheus data source at the populated Prometheus with its real scrape interval, and a file provider at the dashboards', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'firedrill-provisioning-'));
    dirs.push(out);
    const written = writeProvisioning({ outDir: out, prometheusUrl: 'http://127.0.0.1:9090', scrapeIntervalMs: 15_000, dashboards: [{ file: path.resolve('fixtures/piyasa/dashboards/production-overview.json') }] });
    expect(written.map((f) => path.relative(out, f))).toEqual(['datasources/firedrill.yaml', 'dashboards/firedrill.yaml', 'dashboards/json/production-overview.json']);
    const ds = parse(readFileSync(written[0]!, 'utf8')) as { apiVersion: number; datasources: Record<string, unknown>[] };
    expect(ds).toEqual({ apiVersion: 1, datasources: [{ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: 'http://127.0.0.1:9090', isDefault: true, editable: false, jsonData: { timeInterval: '15s', httpMethod: 'POST' } }] });
    const provider = parse(readFileSync(written[1]!, 'utf8')) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    expect(provider.apiVersion).toBe(1);
    expect(provider.providers).toHaveLength(1);
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: path.join(out, 'dashboards', 'json') } });
    // The dashboard's panels name the data source by the uid provisioned here (through its $datasource variable).
    const dashboard = JSON.parse(readFileSync(written[2]!, 'utf8')) as { uid: string; templating: { list: { name: string; query: string }[] } };
    expect(dashboard.uid).toBe('piyasa-chatbot-overview');
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')!.query).toBe('prometheus');
  });
});
