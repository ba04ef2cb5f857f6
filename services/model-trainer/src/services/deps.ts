import { createDataBankClient, type DataBankClient } from '@platform/core';
import { ArtifactCache, ModelRegistry } from '@platform/ml';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { LM_KIND } from './lm-config.js';
import { RunStore } from './run-store.js';
import { TokenizerStore } from './tokenizer-store.js';

export interface Stores {
  dataBank: DataBankClient;
  store: RunStore;
  tokenizers: TokenizerStore;
  registry: ModelRegistry;
  cache: ArtifactCache;
  runsDir: string;
  scratchDir: string;
}

/** What both processes build from the config: stores in Redis, the registry, the artifact cache. */
export function createStores(config: Config, redis: Redis): Stores {
  const dataBank = createDataBankClient({ baseUrl: config.dataBankUrl, apiKey: config.dataBankApiKey });
  return {
    dataBank,
    store: new RunStore(redis, config.keyPrefix),
    tokenizers: new TokenizerStore(redis, config.keyPrefix, dataBank),
    registry: new ModelRegistry(redis, { kind: LM_KIND, prefix: config.registryPrefix }),
    cache: new ArtifactCache(dataBank, join(config.dataDir, 'models'), { maxEntryBytes: 8 * 1024 ** 3, maxTotalBytes: 16 * 1024 ** 3 }),
    runsDir: join(config.dataDir, 'runs'),
    scratchDir: join(config.dataDir, 'scratch'),
  };
}
