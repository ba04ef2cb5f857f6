import type { PlatformApp } from '@platform/core';
import { z } from 'zod';
import { convertText } from '../services/conversion.js';
import type { Catalog } from '../transliteration/catalog.js';

const Body = z.object({
  text: z.string(),
  language: z.string(),
  target: z.string(),
  script: z.string().optional(),
});

const Answer = z.object({ text: z.string(), language: z.string(), target: z.string(), standard: z.string() });

export function registerTransliterateRoute(app: PlatformApp, catalog: Catalog, maxChars: number): void {
  app.post(
    '/v1/transliterate',
    { config: { auth: 'api' }, schema: { summary: 'Transliterate text to IPA or Latin', body: Body, response: { 200: Answer } } },
    (request) => {
      const { language, target } = request.body;
      return { ...convertText(catalog, request.body, maxChars), language, target };
    },
  );
}
