/**
 * The deployment files cannot be run here (no Docker engine), so their promises are checked as data: the
 * compose file's Redis keeps jobs (AOF, noeviction), the services share the store the queue's paths point into,
 * and the image carries everything the package ships.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../e2e/cli.js';

// compose resolves YAML merge keys (`<<: *crossfoot`), as does `merge: true`
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('docker-compose.yml', () => {
  it('runs Redis with AOF and without eviction (BullMQ loses jobs otherwise)', () => {
    const command: string[] = compose.services.redis.command;
    expect(command.join(' ')).toMatch(/--appendonly yes/);
    expect(command.join(' ')).toMatch(/--maxmemory-policy noeviction/);
  });

  it('has a scalable worker and a web server on one Redis, one PostgreSQL and one shared store', () => {
    const { worker, web } = compose.services;
    expect(worker.command).toEqual(['worker']);
    expect(worker.ports).toBeUndefined(); // --scale worker=N must not fight over a host port
    expect(web.command[0]).toBe('serve');
    for (const service of [worker, web]) {
      expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
      expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(service.volumes).toContain('store:/data/store');
      expect(service.environment.CROSSFOOT_UPLOAD_DIR.startsWith('/data/store')).toBe(true);
    }
    expect(web.environment.CROSSFOOT_TOKEN).toMatch(/CROSSFOOT_TOKEN:\?/);
  });
});

describe('Dockerfile', () => {
  it('copies everything the package ships into the runtime image', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    for (const entry of pkg.files as string[]) {
      const top = entry.split('/')[0];
      expect(runtime).toMatch(new RegExp(`COPY --from=build /app/${top} `));
    }
    expect(runtime).toMatch(/ENTRYPOINT \["node", "\/app\/bin\/crossfoot.js"\]/);
    expect(runtime).toMatch(/USER node/);
  });
});
