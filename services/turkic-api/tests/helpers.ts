import { createLogger } from '@platform/core';
import { buildApp, type AppDeps } from '../src/app.js';
import { Detector } from '../src/services/detector.js';
import { Catalog } from '../src/transliteration/catalog.js';

export const logger = createLogger({ service: 'turkic-api-test', level: 'silent' });
export const catalog = Catalog.load();
export const detector = new Detector();

export function testApp(overrides: Partial<AppDeps> = {}) {
  return buildApp({ logger, catalog, detector, maxTextChars: 1000, apiKeys: [], ...overrides });
}
