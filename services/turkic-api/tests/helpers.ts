import { createLogger } from '@platform/core';
import { createQueue } from '@platform/workers';
import type { Redis } from 'ioredis';
import { buildApp, type AppDeps } from '../src/app.js';
import { CORPUS_QUEUE, corpusJob } from '../src/jobs/corpus.js';
import type { CorpusJobsDeps } from '../src/services/corpus-jobs.js';
import { createDataBank } from '../src/services/data-bank.js';
import { Detector } from '../src/services/detector.js';
import { Catalog } from '../src/transliteration/catalog.js';

export const logger = createLogger({ service: 'turkic-api-test', level: 'silent' });
export const catalog = Catalog.load();
export const detector = new Detector();

export function testApp(overrides: Partial<AppDeps> = {}) {
  return buildApp({ logger, catalog, detector, maxTextChars: 1000, apiKeys: [], ...overrides });
}

/** Nothing listens on the discard port: the corpus routes' sources and data-bank are unreachable. */
const NOWHERE = 'http://127.0.0.1:9';

/** The corpus routes on a Redis connection and key prefix, for tests that only enqueue (no worker runs). */
export function enqueueOnlyCorpus(connection: Redis, prefix: string): CorpusJobsDeps {
  const queue = createQueue({ connection, queue: CORPUS_QUEUE, prefix });
  return { queue, job: corpusJob(), catalog, dataBank: createDataBank(NOWHERE, 'no-key'), fetchAllowList: [] };
}
