import { describe, expect, it } from 'vitest';
import { jobMatchesNoScrapeJob } from './job-matches-no-scrape-job.ts';
import { ruleEntries } from './rule-entries.ts';

const rules = (...defs: Record<string, unknown>[]) => ruleEntries([{ file: 'r.yml', doc: { groups: [{ name: 'g', rules: defs }] } }]);
const lint = (prometheusDoc: Record<string, unknown>, ...defs: Record<string, unknown>[]) =>
  jobMatchesNoScrapeJob({ prometheusFile: 'prometheus.yml', prometheusDoc, ruleFiles: [] }, rules(...defs)).map((f) => f.message.split(' matches')[0]);

const scraping = (...jobs: Record<string, unknown>[]) => ({ scrape_configs: jobs });

describe('jobMatchesNoScrapeJob', () => {
  it('reports each unmatched job matcher once per rule, and not matchers that reach a job, that accept no job, or that exclude', () => {
    expect(lint(scraping({ job_name: 'api' }), { alert: 'A', expr: 'up{job="apI"} == 0 or up{job="apI"} == 2' })).toEqual(['job="apI"']);
    expect(lint(scraping({ job_name: 'api-1' }), { alert: 'A', expr: 'up{job=~"api-.*"} == 0 and up{job!="x"} and up{job=~"x|"}' })).toEqual([]);
  });

  it('counts jobs that recording rules set as labels', () => {
    expect(lint(scraping({ job_name: 'api' }), { record: 'svc:up', expr: 'up', labels: { job: 'synthetic' } }, { alert: 'A', expr: 'svc:up{job="synthetic"} == 0' })).toEqual([]);
  });

  it('judges nothing when jobs can come from outside the scrape configs, or a regex is RE2-only', () => {
    const alert = { alert: 'A', expr: 'up{job="pushed"} == 0' };
    expect(lint(scraping({ job_name: 'api' }), alert)).toEqual(['job="pushed"']);
    expect(lint(scraping({ job_name: 'pushgateway', honor_labels: true }), alert)).toEqual([]);
    expect(lint(scraping({ job_name: 'k8s', relabel_configs: [{ target_label: 'job', replacement: 'x' }] }), alert)).toEqual([]);
    expect(lint({ ...scraping({ job_name: 'api' }), scrape_config_files: ['scrape/*.yml'] }, alert)).toEqual([]);
    expect(lint(scraping({ job_name: 'api' }), { alert: 'A', expr: 'up{job=~"(?i)API"} == 0' })).toEqual([]);
  });
});
