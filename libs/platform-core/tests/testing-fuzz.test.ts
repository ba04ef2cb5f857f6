import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { createLogger } from '../src/logging.js';
import { fuzzService } from '../src/testing/index.js';

const apps: PlatformApp[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(register: (app: PlatformApp) => void): Promise<PlatformApp> {
  const app = await createApp({
    service: 'fuzz-test',
    version: '1.0.0',
    logger: createLogger({ service: 'fuzz-test', level: 'silent' }),
    auth: { permissions: { write: ['secret-key'] } },
  });
  apps.push(app);
  register(app);
  return app;
}

const Note = z.object({
  title: z.string().min(1).max(100),
  tags: z.array(z.string()).max(5),
  priority: z.number().int().min(0).max(3),
});

function correctRoutes(app: PlatformApp): void {
  app.post('/v1/notes', { config: { auth: 'write' }, schema: { body: Note } }, (request) => ({
    title: request.body.title,
  }));
  app.get(
    '/v1/notes/:id',
    {
      config: { auth: 'public' },
      schema: {
        params: z.object({ id: z.string().regex(/^\d{1,9}$/) }),
        querystring: z.object({ full: z.enum(['yes', 'no']).optional() }),
      },
    },
    (request) => {
      if (request.params.id === '0') throw new AppError('NOT_FOUND', 'no such note');
      return { id: request.params.id };
    },
  );
}

describe('fuzzService', () => {
  it('passes on routes that keep the HTTP contract', async () => {
    const app = await appWith(correctRoutes);
    await expect(fuzzService(app, { runs: 60, keys: { 'x-api-key': 'secret-key' } })).resolves.toBeUndefined();
  });

  it('fails, naming the route and the seed, on a route that throws a TypeError', async () => {
    const app = await appWith((app) => {
      correctRoutes(app);
      app.post('/v1/broken', { config: { auth: 'public' }, schema: { body: z.unknown() } }, (request) => {
        const body = request.body as { missing: { field: string } };
        return { field: body.missing.field };
      });
    });
    await expect(fuzzService(app, { runs: 60, seed: 42 })).rejects.toThrow(/POST \/v1\/broken: answered 500[\s\S]*seed 42/);
  });

  it('reaches routes behind a key only with options.keys', async () => {
    const app = await appWith((app) => {
      app.post('/v1/guarded', { config: { auth: 'write' } }, () => {
        throw new TypeError('boom');
      });
    });
    await expect(fuzzService(app, { runs: 30 })).resolves.toBeUndefined();
    await expect(fuzzService(app, { runs: 30, seed: 7, keys: { 'x-api-key': 'secret-key' } })).rejects.toThrow(/answered 500/);
  });

  it('accepts a 5xx only when allowStatuses lists it', async () => {
    const app = await appWith((app) => {
      app.get('/v1/down', { config: { auth: 'public' } }, () => {
        throw new AppError('SERVICE_UNAVAILABLE', 'dependency is down');
      });
    });
    await expect(fuzzService(app, { runs: 20, seed: 7 })).rejects.toThrow(/GET \/v1\/down: answered 503/);
    await expect(fuzzService(app, { runs: 20, allowStatuses: [503] })).resolves.toBeUndefined();
  });

  it('fails on an error answer that is not the envelope', async () => {
    const app = await appWith((app) => {
      app.get('/v1/teapot', { config: { auth: 'public' } }, (_request, reply) => reply.status(418).send('short and stout'));
    });
    await expect(fuzzService(app, { runs: 20, seed: 7 })).rejects.toThrow(/418 body is not JSON/);
  });
});
