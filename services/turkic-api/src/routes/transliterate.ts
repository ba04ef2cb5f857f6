import { invalidInput, quoted, type PlatformApp } from '@platform/core';
import { z } from 'zod';
import { checkText } from '../services/text-input.js';
import { transliterate, type Catalog } from '../transliteration/catalog.js';

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
      const { text, language, target, script } = request.body;
      if (!catalog.languages.includes(language)) {
        throw invalidInput(`unknown language ${quoted(language)}; supported: ${catalog.languages.join(', ')}`, [
          { path: 'language', message: 'unsupported' },
        ]);
      }
      const targets = catalog.targetsOf(language);
      const conversion = target === 'ipa' || target === 'latin' ? catalog.conversion(language, target) : undefined;
      if (!conversion) {
        const offered = targets.length > 0 ? targets.join(', ') : 'none (detection only)';
        throw invalidInput(`language ${language} has no target ${quoted(target)}; supported targets: ${offered}`, [
          { path: 'target', message: 'unsupported' },
        ]);
      }
      if (script !== undefined && !(conversion.scripts as string[]).includes(script)) {
        throw invalidInput(`${language} ${target} reads script ${conversion.scripts.join(' or ')}, not ${quoted(script)}`, [
          { path: 'script', message: 'unsupported' },
        ]);
      }
      checkText(text, maxChars);
      return { text: transliterate(conversion, text), language, target, standard: conversion.standard };
    },
  );
}
