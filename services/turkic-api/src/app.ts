import { createApp, packageInfo, type Logger, type PlatformApp, type ReadinessCheck } from '@platform/core';
import { registerCorpusJobRoutes } from './routes/corpus-jobs.js';
import type { CorpusJobsDeps } from './services/corpus-jobs.js';
import { registerDetectRoute } from './routes/detect.js';
import { registerLanguagesRoute } from './routes/languages.js';
import { registerTransliterateRoute } from './routes/transliterate.js';
import type { Detector } from './services/detector.js';
import type { Catalog } from './transliteration/catalog.js';

const { name, version } = packageInfo(import.meta.url);
export const SERVICE = name;

export interface AppDeps {
  logger: Logger;
  catalog: Catalog;
  detector: Detector;
  maxTextChars: number;
  apiKeys: string[];
  readiness?: ReadinessCheck[];
  /** Corpus jobs need Redis; without them the synchronous API still runs. */
  corpus?: CorpusJobsDeps;
}

export async function buildApp(deps: AppDeps): Promise<PlatformApp> {
  // JSON escapes can make a character up to 6 bytes (\uXXXX); leave room for the other fields.
  const bodyLimit = deps.maxTextChars * 6 + 64 * 1024;
  const app = await createApp({
    service: SERVICE,
    version,
    description: 'Turkic language detection, transliteration (IPA, Latin) and corpus building',
    logger: deps.logger,
    bodyLimit,
    // An empty TURKIC_API_KEYS leaves the API open for local development (README).
    auth: { permissions: { api: deps.apiKeys }, openWhenNoKeys: true },
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

  registerTransliterateRoute(app, deps.catalog, deps.maxTextChars);
  registerDetectRoute(app, deps.detector, deps.maxTextChars);
  registerLanguagesRoute(app, deps.catalog);
  if (deps.corpus) registerCorpusJobRoutes(app, deps.corpus);
  return app;
}
