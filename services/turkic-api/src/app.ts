import { AppError, createApp, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import { timingSafeEqual } from 'node:crypto';
import { registerCorpusJobRoutes, type CorpusRouteDeps } from './routes/corpus-jobs.js';
import { registerDetectRoute } from './routes/detect.js';
import { registerLanguagesRoute } from './routes/languages.js';
import { registerTransliterateRoute } from './routes/transliterate.js';
import type { Detector } from './services/detector.js';
import type { Catalog } from './transliteration/catalog.js';

export interface AppDeps {
  logger: Logger;
  catalog: Catalog;
  detector: Detector;
  maxTextChars: number;
  apiKeys: string[];
  readiness?: ReadinessCheck[];
  /** Corpus jobs need Redis; without them the synchronous API still runs. */
  corpus?: CorpusRouteDeps;
}

function keyMatches(given: string, keys: Buffer[]): boolean {
  const candidate = Buffer.from(given);
  // Compare against every key so that timing does not reveal which one (or whether one) matched.
  return keys.reduce((found, key) => (key.length === candidate.length && timingSafeEqual(key, candidate)) || found, false);
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  // JSON escapes can make a character up to 6 bytes (\uXXXX); leave room for the other fields.
  const bodyLimit = deps.maxTextChars * 6 + 64 * 1024;
  const app = await createApp({
    service: 'turkic-api',
    version: '0.1.0',
    description: 'Turkic language detection, transliteration (IPA, Latin) and corpus building',
    logger: deps.logger,
    bodyLimit,
    readiness: [
      {
        name: 'lid_model',
        check: async () => {
          await deps.detector.load();
        },
      },
      ...(deps.readiness ?? []),
    ],
  });

  const keys = deps.apiKeys.map((key) => Buffer.from(key));
  if (keys.length > 0) {
    app.addHook('onRequest', (request, _reply, done) => {
      const given = request.headers['x-api-key'];
      const allowed = !request.url.startsWith('/v1/') || (typeof given === 'string' && keyMatches(given, keys));
      done(allowed ? undefined : new AppError('UNAUTHORIZED', 'a valid X-API-Key header is required'));
    });
  }

  registerTransliterateRoute(app, deps.catalog, deps.maxTextChars);
  registerDetectRoute(app, deps.detector, deps.maxTextChars);
  registerLanguagesRoute(app, deps.catalog);
  if (deps.corpus) registerCorpusJobRoutes(app, deps.corpus);
  return app;
}
