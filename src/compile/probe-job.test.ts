import { describe, expect, it } from 'vitest';
import { wireProbeJob } from './prometheus-config.ts';

// The blackbox multi-target pattern as teams write it.
const job = {
  job_name: 'blackbox-http',
  metrics_path: '/probe',
  params: { module: ['http_2xx'] },
  static_configs: [
    { targets: ['http://core:8080/api/health'], labels: { service: 'core' } },
    { targets: ['http://ai:8000/health?deep=1'], labels: { service: 'ai' } },
  ],
  relabel_configs: [
    { source_labels: ['__address__'], target_label: '__param_target' },
    { source_labels: ['__param_target'], target_label: 'instance' },
    { target_label: '__address__', replacement: 'blackbox-exporter:9115' },
  ],
};
const probes = new Map([
  ['http://core:8080/api/health', 'http://127.0.0.1:41001/api/health'],
  ['http://ai:8000/health?deep=1', 'http://127.0.0.1:41002/health?deep=1'],
]);

describe('wireProbeJob', () => {
  it('probes each target at its service here, keeping labels, params, the relabelling and the written target as instance, and scrapes the exporter here', () => {
    const wired = wireProbeJob(job, '127.0.0.1:41009', probes, 'prometheus.yml');
    expect(wired.static_configs).toEqual([
      { targets: ['http://127.0.0.1:41001/api/health'], labels: { service: 'core', __firedrill_target: 'http://core:8080/api/health' } },
      { targets: ['http://127.0.0.1:41002/health?deep=1'], labels: { service: 'ai', __firedrill_target: 'http://ai:8000/health?deep=1' } },
    ]);
    // instance: the target as written (production's label), where the job copied the probed URL
    expect(wired.relabel_configs).toEqual([
      job.relabel_configs[0],
      { source_labels: ['__firedrill_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: '127.0.0.1:41009' },
    ]);
    expect([wired.metrics_path, wired.params]).toEqual(['/probe', { module: ['http_2xx'] }]);
  });

  it('refuses a target no probe maps, naming it and what to add', () => {
    expect(() => wireProbeJob(job, '127.0.0.1:1', new Map([...probes].slice(0, 1)), 'prometheus.yml')).toThrow(
      "prometheus.yml: job 'blackbox-http' probes 'http://ai:8000/health?deep=1', which no exporter's probes map to a service; add 'http://ai:8000/health?deep=1': '<service>' to its probes",
    );
  });

  it('refuses a job whose scrapes would not reach the exporter (no __address__ relabelling), and one with service discovery', () => {
    expect(() => wireProbeJob({ ...job, relabel_configs: job.relabel_configs.slice(0, 2) }, '127.0.0.1:1', probes, 'p.yml')).toThrow(/no relabel_configs rule with target_label: __address__/);
    expect(() => wireProbeJob({ ...job, dns_sd_configs: [{ names: ['x'] }] }, '127.0.0.1:1', probes, 'p.yml')).toThrow(/finds its targets through dns_sd_configs/);
  });
});
