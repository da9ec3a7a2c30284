import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemConfig } from './define-config.ts';
import { resolveSystem } from './resolve-system.ts';

// The compose-shop fixture's directory: its files exist, so only the references are under test.
const dir = path.resolve('fixtures/compose-shop');
const file = path.join(dir, 'firedrill.config.ts');
const base: SystemConfig = {
  prometheus: 'prometheus.yml',
  alertmanager: 'alertmanager.yml',
  services: { shop: { compose: { file: 'docker-compose.yml', service: 'shop', port: 8080 }, job: 'shop' } },
};
const resolve = (system: SystemConfig) => resolveSystem('storefront', system, dir, file);

describe('resolveSystem: compose services and probes', () => {
  it('resolves a compose service with its file made absolute, and a blackbox exporter with its probed service as its source', () => {
    const system = resolve({ ...base, exporters: { probe: { type: 'blackbox', job: 'shop-probe', probes: { 'http://shop:8080/orders/1': 'shop' } } } });
    expect(system.services[0]!.compose).toEqual({ file: path.join(dir, 'docker-compose.yml'), service: 'shop', port: 8080 });
    expect(system.exporters[0]).toMatchObject({ type: 'blackbox', probes: { 'http://shop:8080/orders/1': 'shop' } });
  });

  it('refuses a service with both command and compose, or neither', () => {
    const both = { ...base, services: { shop: { ...base.services.shop!, command: ['node', 'server.mjs'] } } };
    expect(() => resolve(both)).toThrow('firedrill.config.ts: systems.storefront.services.shop: give exactly one of command (a process firedrill starts) or compose (a service of your compose file)');
    expect(() => resolve({ ...base, services: { shop: { job: 'shop' } } })).toThrow(/give exactly one of command/);
  });

  it('refuses a compose service missing from its file, naming the ones there', () => {
    const missing = { ...base, services: { shop: { compose: { file: 'docker-compose.yml', service: 'api', port: 8080 }, job: 'shop' } } };
    expect(() => resolve(missing)).toThrow("systems.storefront.services.shop.compose.service: no service 'api' in docker-compose.yml; it has: shop");
  });

  it('refuses a probe of something that is not a service, and a probe target that is not a URL', () => {
    expect(() => resolve({ ...base, exporters: { probe: { type: 'blackbox', job: 'p', probes: { 'http://db:5432/': 'db' } } } })).toThrow(
      "systems.storefront.exporters.probe.probes: 'http://db:5432/' probes 'db', which is not a service of this system (known: shop)",
    );
    expect(() => resolve({ ...base, exporters: { probe: { type: 'blackbox', job: 'p', probes: { 'shop:8080': 'shop' } } } })).toThrow(/'shop:8080' is not an http\(s\) URL/);
  });

  it('takes an image with a command (whose program need not be on this machine), and refuses one without', () => {
    const imaged = resolve({ ...base, services: { shop: { command: ['python', 'app.py'], image: 'python:3.12-slim', job: 'shop' } } });
    expect(imaged.services[0]).toMatchObject({ command: ['python', 'app.py'], image: 'python:3.12-slim' });
    expect(() => resolve({ ...base, services: { shop: { ...base.services.shop!, image: 'python:3.12-slim' } } })).toThrow(
      "systems.storefront.services.shop.image: an image runs the service's command; give command too, or drop image (a compose service names its image in its compose file)",
    );
  });
});

describe('resolveSystem: dependency references in a service environment', () => {
  const withEnv = (env: Record<string, string>): SystemConfig => ({
    ...base,
    services: { api: { command: ['node', 'server.mjs'], job: 'shop', env } },
    dependencies: { 'pricing-api': { type: 'tcp', address: '127.0.0.1:9' } },
  });

  it('refuses a reference that is a mistyped dependency reference, instead of handing the service the text as written', () => {
    expect(() => resolve(withEnv({ PRICING_URL: 'http://{{pricing_api}}' }))).toThrow(
      "firedrill.config.ts: systems.storefront.services.api.env.PRICING_URL: {{pricing_api}} is no dependency reference (did you mean dependency 'pricing-api': {{pricing-api}}, {{pricing-api.host}} or {{pricing-api.port}}?)",
    );
    expect(() => resolve(withEnv({ PRICING_HOST: '{{pricing-api.addr}}' }))).toThrow(
      'systems.storefront.services.api.env.PRICING_HOST: {{pricing-api.addr}}: a dependency reference is {{pricing-api}}, {{pricing-api.host}} or {{pricing-api.port}}, not .addr',
    );
  });

  it('takes well-formed references, and leaves a template of the service its own (one that names no dependency)', () => {
    const system = resolve(withEnv({ PRICING_URL: 'http://{{pricing-api}}', PORT_ONLY: '{{ pricing-api.port }}', FORMAT: '{{.Name}} at {{ .Time }}', UPPER: '{{DB_URL}}' }));
    expect([...system.services[0]!.uses]).toEqual(['pricing-api']);
  });
});
