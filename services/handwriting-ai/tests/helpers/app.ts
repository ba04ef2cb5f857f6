import { deleteKeys, uniqueName } from '@platform/testing';
import { createLogger, type PlatformApp } from '@platform/core';
import type { RegisteredModel } from '@platform/ml';
import { closeRedis, createQueue, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import type { Redis } from 'ioredis';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { DigitServer } from '../../src/services/digit-server.js';
import { digitsRegistry, ModelFiles } from '../../src/services/model-files.js';
import { followActiveModel } from '../../src/services/model-sync.js';
import { createPreprocessPool } from '../../src/services/preprocess-pool.js';
import { DIGITS_QUEUE, trainJob } from '../../src/jobs/train.js';
import { mnistFiles, runTrainKernel } from './kernel.js';

export const logger = createLogger({ service: 'handwriting-test', level: 'silent' });
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A tiny model trained in a few steps, written by the real kernel into `dir`. */
export async function trainTiny(dir: string): Promise<void> {
  const { code, stderr } = await runTrainKernel({
    ...mnistFiles(),
    output_dir: dir,
    limit_train: 1200,
    limit_test: 100,
    validation_size: 200,
    epochs: 1,
    max_steps: 8,
    batch_size: 32,
  });
  if (code !== 0) throw new Error(stderr);
}

/** The real data-bank process, real Redis and three published models: `tiny-a`, `tiny-b` (same graph) and a corrupt `broken`. */
export interface ModelWorld {
  bank: DataBankProcess;
  redis: Redis;
  root: string;
  files: ModelFiles;
  models: Record<'tiny-a' | 'tiny-b' | 'broken', RegisteredModel>;
  /** A registry key prefix of its own (deleted by close). */
  prefix(): string;
  close(): Promise<void>;
}

export async function modelWorld(): Promise<ModelWorld> {
  const [bank, root] = await Promise.all([startDataBankProcess(), mkdtemp(join(tmpdir(), 'handwriting-models-'))]);
  const redis = createRedis(REDIS_URL, 'command');
  const files = new ModelFiles(bank.client, join(root, 'cache'));
  const base = uniqueName('handwriting');
  const publishing = digitsRegistry(redis, `${base}:publish`);
  await trainTiny(join(root, 'tiny-a'));
  await cp(join(root, 'tiny-a'), join(root, 'tiny-b'), { recursive: true });
  await mkdir(join(root, 'broken'));
  await cp(join(root, 'tiny-a', 'config.json'), join(root, 'broken', 'config.json'));
  await writeFile(join(root, 'broken', 'model.onnx'), 'not an onnx graph');
  const publish = (id: string) => files.publishModel(join(root, id), id, publishing);
  const models = { 'tiny-a': await publish('tiny-a'), 'tiny-b': await publish('tiny-b'), broken: await publish('broken') };
  let count = 0;
  return {
    bank,
    redis,
    root,
    files,
    models,
    prefix: () => `${base}:${String((count += 1))}`,
    close: async () => {
      await deleteKeys(redis, `${base}:*`);
      await closeRedis(redis);
      await bank.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: PlatformApp;
  server: DigitServer;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Models registered in the app's registry (default: all of the world's). */
  models?: RegisteredModel[];
  /** The registry's active model at start. */
  active?: string;
  /** Share a registry with another app (default: a fresh prefix). */
  prefix?: string;
  pollMs?: number;
  apiKeys?: string[];
  readKeys?: string[];
}

/** An API process as main.ts builds it, on its own registry (or a shared one) and its own model cache. */
export async function makeApp(world: ModelWorld, options: TestAppOptions = {}): Promise<TestApp> {
  const prefix = options.prefix ?? world.prefix();
  const registry = digitsRegistry(world.redis, prefix);
  for (const model of options.models ?? Object.values(world.models)) await registry.register(model);
  if (options.active !== undefined) await registry.activate(options.active);
  const files = new ModelFiles(world.bank.client, await mkdtemp(join(world.root, 'cache-')));
  const server = new DigitServer(files);
  const follower = followActiveModel(server, registry, logger, options.pollMs ?? 60_000);
  await follower.sync();
  const pool = createPreprocessPool({ threads: 1, queue: 64 });
  const queue = createQueue({ connection: world.redis, queue: DIGITS_QUEUE, prefix: `${prefix}:bull` });
  const app = await buildApp({
    logger,
    pool,
    server,
    registry,
    files,
    maxArtifactBytes: 8 * 1024 * 1024,
    apiKeys: options.apiKeys ?? [],
    readKeys: options.readKeys ?? [],
    limits: { maxPixels: 4_000_000, maxSide: 4096 },
    maxUploadBytes: 2 * 1024 * 1024,
    uncertainBelow: 0.7,
    training: { queue, job: trainJob() },
  });
  return {
    app,
    server,
    close: async () => {
      follower.stop();
      await app.close();
      await pool.close();
      await server.close();
      await queue.close();
    },
  };
}
