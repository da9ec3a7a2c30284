import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { parseDurationMs } from '../../duration.ts';
import { badInput } from '../../errors.ts';
import { checkDashboard, type PanelGrade } from '../../dashboards/check-dashboard.ts';
import { loadDashboards } from '../../dashboards/load-dashboards.ts';
import { writeProvisioning } from '../../dashboards/grafana-provisioning.ts';
import { renderDashboardPreview } from '../../dashboards/dashboard-preview.ts';
import path from 'node:path';
import { getJson, trimSlash } from '../../observe/http-json.ts';
import { parse } from 'yaml';
import { configOption, systemOption, writeOutput } from '../options.ts';
import { checkWritable } from '../output-path.ts';

interface CheckFlags {
  prometheus?: string;
  last: string;
  from?: string;
  to?: string;
  scrapeInterval?: string;
  maxDataPoints: number;
  system?: string[];
  json?: string;
  preview?: string;
  config: string;
}

/** The scrape interval a correctly set up Grafana data source would have: the Prometheus' own global one. */
async function prometheusScrapeIntervalMs(url: string): Promise<number> {
  const config = await getJson<{ data: { yaml: string } }>(`${url}/api/v1/status/config`);
  const global = (parse(config.data.yaml) as { global?: { scrape_interval?: string } }).global;
  return parseDurationMs(global?.scrape_interval ?? '1m', 'global.scrape_interval');
}

const timeMs = (text: string, flag: string) => {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw badInput(`${flag} ${text}: not a time; write an ISO time like 2026-11-30T12:00:00Z`);
  return ms;
};

/** `firedrill dashboards provision`: Grafana's provisioning files for the systems' dashboards and a Prometheus. */
function addProvisionCommand(dashboards: Command): void {
  dashboards
    .command('provision')
    .description("write Grafana provisioning files (a Prometheus data source and a dashboards provider) and the systems' dashboards into a directory")
    .requiredOption('--out <dir>', "Grafana's provisioning directory to write (point paths.provisioning at it); required")
    .option('--prometheus <url>', "the Prometheus the data source points at (default: the system's external.prometheus)")
    .addOption(systemOption('dashboards'))
    .addOption(configOption())
    .action(async (opts: { out: string; prometheus?: string; system?: string[]; config: string }) => {
      checkWritable(path.join(opts.out, 'datasources', 'firedrill.yaml'), '--out');
      const config = await loadConfig(opts.config);
      const systems = config.systems.filter((s) => (opts.system ? opts.system.includes(s.name) : true) && s.dashboards);
      if (systems.length === 0) throw badInput(`dashboards provision: no system with dashboards: in ${config.file}`);
      const url = opts.prometheus ?? systems.find((s) => s.external)?.external?.prometheus;
      const prometheus = url && trimSlash(url);
      if (!prometheus) throw badInput('dashboards provision: name the Prometheus the data source points at with --prometheus <url>');
      const written = writeProvisioning({ outDir: opts.out, prometheusUrl: prometheus, scrapeIntervalMs: await prometheusScrapeIntervalMs(prometheus), dashboards: systems.flatMap((s) => loadDashboards(s.dashboards!)) });
      for (const file of written) console.log(`wrote ${file}`);
    });
}

/** `firedrill dashboards check`: every panel of every dashboard queried as Grafana would, graded ok, empty or error. */
export function addDashboardsCommand(program: Command): void {
  const dashboards = program.command('dashboards').description('Grafana dashboards of the systems (dashboards: in the config)');
  addProvisionCommand(dashboards);
  dashboards
    .command('check')
    .description('run every panel query of every dashboard against a Prometheus as Grafana would, and grade each ok, empty or error')
    .option('--prometheus <url>', "the Prometheus to query (default: the system's external.prometheus)")
    .option('--last <duration>', 'the time range: this much up to now (or to --to)', '1h')
    .option('--from <time>', 'the start of the time range (ISO), instead of --last')
    .option('--to <time>', 'the end of the time range (ISO; default now)')
    .option('--scrape-interval <duration>', "the Grafana data source's scrape interval (default: the Prometheus' global scrape_interval)")
    .addOption(new Option('--max-data-points <n>', 'points per panel when the panel sets none (Grafana: the graph width in pixels)').default(1000).argParser((v) => Number(v)))
    .addOption(systemOption('dashboards'))
    .option('--json <file>', 'write every grade as JSON here')
    .option('--preview <dir>', 'write a preview of each dashboard here (<uid>.html: one chart per panel with its data, beside its grades)')
    .addOption(configOption())
    .action(async (opts: CheckFlags) => {
      if (opts.json) checkWritable(opts.json, '--json');
      if (opts.preview) checkWritable(path.join(opts.preview, 'preview.html'), '--preview');
      const config = await loadConfig(opts.config);
      const systems = config.systems.filter((s) => (opts.system ? opts.system.includes(s.name) : true) && s.dashboards);
      if (systems.length === 0) throw badInput(`dashboards check: no system ${opts.system ? `named ${opts.system.join(', ')} ` : ''}with dashboards: in ${config.file}; add dashboards: '<dir of Grafana JSON>' to a system`);
      const toMs = opts.to ? timeMs(opts.to, '--to') : Date.now();
      const fromMs = opts.from ? timeMs(opts.from, '--from') : toMs - parseDurationMs(opts.last, '--last');
      if (fromMs >= toMs) throw badInput(`--from must be before --to`);
      const grades: PanelGrade[] = [];
      for (const system of systems) {
        const url = opts.prometheus ?? system.external?.prometheus;
        const prometheus = url && trimSlash(url);
        if (!prometheus) throw badInput(`dashboards check: system ${system.name}: name the Prometheus to query with --prometheus <url> (or give the system an external block)`);
        const actualScrapeIntervalMs = await prometheusScrapeIntervalMs(prometheus);
        const scrapeIntervalMs = opts.scrapeInterval ? parseDurationMs(opts.scrapeInterval, '--scrape-interval') : actualScrapeIntervalMs;
        for (const { dashboard, file } of loadDashboards(system.dashboards!)) {
          const graded = await checkDashboard(dashboard, prometheus, { fromMs, toMs, scrapeIntervalMs, actualScrapeIntervalMs, maxDataPoints: opts.maxDataPoints });
          grades.push(...graded);
          if (opts.preview) {
            const out = path.join(opts.preview, `${dashboard.uid ?? path.basename(file, '.json')}.html`);
            writeOutput(out, renderDashboardPreview(dashboard.title, graded, [`${prometheus} · ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} · scrape interval ${scrapeIntervalMs / 1000}s`]));
            console.log(`preview: ${out}`);
          }
        }
      }
      for (const g of grades) {
        const where = `${g.dashboard} / ${g.row ? `${g.row} / ` : ''}${g.panel} [${g.refId}]`;
        console.log(`${g.grade === 'ok' ? 'ok   ' : g.grade === 'empty' ? 'EMPTY' : 'ERROR'} ${where}: ${g.reason}${g.grade === 'ok' ? '' : `\n      query: ${g.expanded}`}`);
      }
      const bad = grades.filter((g) => g.grade !== 'ok');
      console.log(`${grades.length - bad.length}/${grades.length} panel queries return data`);
      if (opts.json) writeOutput(opts.json, `${JSON.stringify({ ok: bad.length === 0, fromMs, toMs, grades: grades.map(({ series: _series, ...g }) => g) }, null, 2)}\n`);
      process.exitCode = bad.length === 0 ? 0 : 1;
    });
}
