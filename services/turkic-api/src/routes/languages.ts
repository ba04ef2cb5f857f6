import type { PlatformApp } from '@platform/core';
import { z } from 'zod';
import type { Catalog } from '../transliteration/catalog.js';

const Target = z.object({ standard: z.string(), tables: z.array(z.string()) });
const Answer = z.object({
  languages: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      scripts: z.array(z.string()),
      targets: z.object({ ipa: Target.optional(), latin: Target.optional() }),
      detection: z.boolean(),
    }),
  ),
});

export function registerLanguagesRoute(app: PlatformApp, catalog: Catalog): void {
  const answer = { languages: catalog.describe() };
  app.get(
    '/v1/languages',
    { config: { auth: 'api' }, schema: { summary: 'Supported languages, scripts and targets', response: { 200: Answer } } },
    () => answer,
  );
}
