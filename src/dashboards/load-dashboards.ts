import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '../errors.ts';
import type { GrafanaDashboard } from './grafana-dashboard.ts';

export interface LoadedDashboard {
  readonly file: string;
  readonly dashboard: GrafanaDashboard;
}

/** Every `*.json` of a dashboards directory (or the one file named), each a Grafana dashboard with a title and panels. */
export function loadDashboards(where: string): LoadedDashboard[] {
  const files = statSync(where).isDirectory() ? readdirSync(where).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(where, f)) : [where];
  if (files.length === 0) throw badInput(`${path.relative(process.cwd(), where)}: no dashboard JSON file in it`);
  return files.map((file) => {
    const shown = path.relative(process.cwd(), file);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw badInput(`${shown}: not JSON (${(error as Error).message.split('\n')[0]})`);
    }
    // An export for sharing wraps the dashboard under "dashboard".
    const dashboard = (typeof doc === 'object' && doc !== null && 'dashboard' in doc ? (doc as { dashboard: unknown }).dashboard : doc) as GrafanaDashboard;
    if (typeof dashboard?.title !== 'string' || !Array.isArray(dashboard.panels)) throw badInput(`${shown}: not a Grafana dashboard (needs a title and panels)`);
    return { file, dashboard };
  });
}
