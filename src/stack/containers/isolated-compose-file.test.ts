import { describe, expect, it } from 'vitest';
import { isolatedComposeDocument } from './isolated-compose-file.ts';

const userFile = {
  version: '2.4',
  services: {
    api: { build: './api', ports: ['8080:8080'], container_name: 'shop-api', restart: 'always', depends_on: ['db'], environment: ['MODE=prod', 'URL=a=b'] },
    db: { image: 'postgres:15', ports: ['5432:5432'], depends_on: { cache: { condition: 'service_started' } } },
    cache: { image: 'redis:7' },
    admin: { image: 'admin', ports: ['9000:9000'] },
  },
  volumes: { data: {} },
};

describe('isolatedComposeDocument', () => {
  const isolated = isolatedComposeDocument(userFile, [{ service: 'api', hostPort: 41234, containerPort: 8080, env: { LOG: 'debug' } }]);

  it('keeps the service and what it depends on (both spellings of depends_on), nothing else', () => {
    expect(Object.keys(isolated.services!).sort()).toEqual(['api', 'cache', 'db']);
    expect(isolated.version).toBe('2.4');
    expect(isolated.volumes).toEqual({ data: {} });
  });

  it('publishes only the service port, on the given loopback port, and drops fixed names and restart policies', () => {
    expect(isolated.services!.api).toMatchObject({ build: './api', ports: ['127.0.0.1:41234:8080'], restart: 'no', depends_on: ['db'] });
    expect(isolated.services!.api).not.toHaveProperty('container_name');
    expect(isolated.services!.db).not.toHaveProperty('ports');
    expect(isolated.services!.db!.restart).toBe('no');
  });

  it('puts the config\'s env over the file\'s environment, whichever spelling the file uses', () => {
    expect(isolated.services!.api!.environment).toEqual({ MODE: 'prod', URL: 'a=b', LOG: 'debug' });
  });

  it('takes several services at once, each published on its own port', () => {
    const two = isolatedComposeDocument(userFile, [
      { service: 'api', hostPort: 41234, containerPort: 8080 },
      { service: 'admin', hostPort: 41235, containerPort: 9000 },
    ]);
    expect(Object.keys(two.services!).sort()).toEqual(['admin', 'api', 'cache', 'db']);
    expect([two.services!.api!.ports, two.services!.admin!.ports]).toEqual([['127.0.0.1:41234:8080'], ['127.0.0.1:41235:9000']]);
  });

  it('leaves the user\'s document as it was', () => {
    expect(userFile.services.api.ports).toEqual(['8080:8080']);
    expect(userFile.services.api.container_name).toBe('shop-api');
  });
});
