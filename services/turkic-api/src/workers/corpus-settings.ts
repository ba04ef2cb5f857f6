import { createGuardedFetcher } from '@platform/core';
import type { Config } from '../config.js';
import type { CorpusJobDeps } from './corpus.js';

type Settings = Pick<CorpusJobDeps, 'wikipediaDumpsUrl' | 'hfEndpoint' | 'hfToken' | 'workDir' | 'timeoutMs' | 'urlFetcher' | 'limits'>;

/** The corpus job's settings from the configuration, the same in the API (which enqueues) and the worker. */
export function corpusSettings(config: Config): Settings {
  return {
    wikipediaDumpsUrl: config.TURKIC_WIKIPEDIA_DUMPS_URL,
    hfEndpoint: config.HF_ENDPOINT,
    hfToken: config.HF_TOKEN,
    workDir: config.TURKIC_WORK_DIR,
    timeoutMs: config.TURKIC_JOB_TIMEOUT_MS,
    urlFetcher: createGuardedFetcher({
      allowList: config.FETCH_ALLOW_LIST,
      maxBytes: config.TURKIC_URL_MAX_BYTES,
      timeoutMs: config.TURKIC_URL_TIMEOUT_MS,
    }),
    limits: {
      maxInflatedBytes: config.TURKIC_MAX_INFLATED_BYTES,
      maxLineChars: config.TURKIC_MAX_LINE_CHARS,
      maxDocumentChars: config.TURKIC_MAX_DOCUMENT_CHARS,
    },
  };
}
