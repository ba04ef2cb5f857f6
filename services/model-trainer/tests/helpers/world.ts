import { deleteKeys, uniqueName } from '@platform/testing';
import type { PlatformApp } from '@platform/core';
import {
  closeRedis,
  createQueue,
  createRedis,
  EventPublisher,
  redisReadiness,
  startWorker,
  workerReadiness,
  type WorkerHandle,
} from '@platform/workers';
import type { Queue } from 'bullmq';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import type { Redis } from 'ioredis';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { SHIPPED_MODELS_DIR } from '../../src/config.js';
import { ArtifactCache, ModelRegistry } from '@platform/ml';
import { ChatStore } from '../../src/services/chat-store.js';
import { LM_KIND } from '../../src/services/lm-config.js';
import { ModelServer } from '../../src/services/model-server.js';
import { RunStore } from '../../src/services/run-store.js';
import { registerShippedModels } from '../../src/services/shipped-model.js';
import { TokenizerStore } from '../../src/services/tokenizer-store.js';
import { TRAINER_QUEUE } from '../../src/jobs/queue.js';
import { trainJob } from '../../src/jobs/train.js';
import { tokenizerHandler } from '../../src/workers/tokenizer.js';
import { trainHandler } from '../../src/workers/train.js';
import { logger, PYTHON, REDIS_URL } from './kernel.js';

export interface TrainerWorld {
  app: PlatformApp;
  bank: DataBankProcess;
  redis: Redis;
  queue: Queue;
  prefix: string;
  /** Every event published on the trainer channel. */
  events: { type: string; [key: string]: unknown }[];
  close(): Promise<void>;
}

/**
 * The API (as main.ts builds it) and a worker (as worker.ts) in this process, on the real data-bank
 * process and real Redis under a prefix of their own.
 */
export async function trainerWorld(options: { python?: string; apiKeys?: string[]; bank?: DataBankProcess } = {}): Promise<TrainerWorld> {
  const bank = options.bank ?? (await startDataBankProcess());
  const root = await mkdtemp(join(tmpdir(), 'trainer-world-'));
  const prefix = uniqueName('trainer');
  const redis = createRedis(REDIS_URL, 'command');
  const subscriber = createRedis(REDIS_URL, 'command');
  const events: TrainerWorld['events'] = [];
  await subscriber.subscribe(`${prefix}:trainer:events`);
  subscriber.on('message', (_channel, message: string) => events.push(JSON.parse(message) as TrainerWorld['events'][number]));
  const publisher = new EventPublisher(redis, { namespace: `${prefix}:` });
  const store = new RunStore(redis, prefix);
  const tokenizers = new TokenizerStore(redis, prefix, bank.client);
  const registry = new ModelRegistry(redis, { kind: LM_KIND, prefix: `${prefix}:models` });
  const cache = new ArtifactCache(bank.client, join(root, 'models'));
  await mkdir(join(root, 'scratch'), { recursive: true });
  const jobDeps = {
    store,
    tokenizers,
    registry,
    cache,
    dataBank: bank.client,
    publisher,
    logger,
    runsDir: join(root, 'runs'),
    scratchDir: join(root, 'scratch'),
    maxCorpusBytes: 1 << 24,
    stepEventMs: 0,
    python: options.python ?? PYTHON,
  };
  const queue = createQueue({ connection: redis, queue: TRAINER_QUEUE, prefix: `${prefix}:bull` });
  const worker: WorkerHandle = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: TRAINER_QUEUE,
    prefix: `${prefix}:bull`,
    handlers: [trainHandler(jobDeps), tokenizerHandler(jobDeps)],
    publisher,
    logger,
  });
  await registerShippedModels({ registry, cache, store, logger }, SHIPPED_MODELS_DIR);
  const models = new ModelServer(registry, cache, { threads: 1, maxLoaded: 2 });
  const app = await buildApp({
    queue,
    trainJob: trainJob(),
    store,
    tokenizers,
    models,
    logger,
    chats: new ChatStore(redis, prefix, 60),
    apiKeys: options.apiKeys ?? [],
    maxGenerateTokens: 256,
    maxScoreChars: 5000,
    readiness: [redisReadiness(redis), workerReadiness(queue)],
  });
  return {
    app,
    bank,
    redis,
    queue,
    prefix,
    events,
    close: async () => {
      await worker.close(2000);
      await app.close();
      await models.close();
      await queue.close();
      await closeRedis(subscriber);
      await deleteKeys(redis, `${prefix}*`);
      await closeRedis(redis);
      if (!options.bank) await bank.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const uploadText = async (bank: DataBankProcess, data: Uint8Array) =>
  (await bank.client.upload({ kind: 'buffer', data }, { contentType: 'text/plain' })).file_id;
