import { createGuardedFetcher } from '@platform/core';
import type { Config } from '../config.js';
import type { CorpusHandlerDeps } from './corpus.js';

type Settings = Pick<CorpusHandlerDeps, 'wikipediaDumpsUrl' | 'hfEndpoint' | 'hfToken' | 'workDir' | 'urlFetcher' | 'limits'>;

/** The corpus handler's source settings from the configuration. */
export function corpusSettings(config: Config): Settings {
  const { corpus } = config;
  return {
    wikipediaDumpsUrl: corpus.wikipediaDumpsUrl,
    hfEndpoint: corpus.hfEndpoint,
    hfToken: corpus.hfToken,
    workDir: corpus.workDir,
    urlFetcher: createGuardedFetcher({
      allowList: config.fetchAllowList,
      maxBytes: corpus.urlMaxBytes,
      timeoutMs: corpus.urlTimeoutMs,
    }),
    limits: corpus.limits,
  };
}
