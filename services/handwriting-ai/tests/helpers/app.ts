import { createLogger, type PlatformApp } from '@platform/core';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadInitialModel } from '../../src/services/initial-model.js';
import { ModelSlot } from '../../src/services/model-slot.js';
import { ModelStore } from '../../src/services/model-store.js';
import { createPreprocessPool } from '../../src/services/preprocess-pool.js';
import { mnistFiles, runTrainKernel } from './kernel.js';

export const logger = createLogger({ service: 'handwriting-test', level: 'silent' });

/** A store with two copies of a tiny trained model (`tiny-a`, `tiny-b`) and a corrupt one (`broken`). */
export async function modelStore(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'handwriting-models-'));
  const { code, stderr } = await runTrainKernel({
    ...mnistFiles(),
    output_dir: join(root, 'tiny-a'),
    limit_train: 1200,
    limit_test: 100,
    validation_size: 200,
    epochs: 1,
    max_steps: 8,
    batch_size: 32,
  });
  if (code !== 0) throw new Error(stderr);
  await cp(join(root, 'tiny-a'), join(root, 'tiny-b'), { recursive: true });
  await mkdir(join(root, 'broken'));
  await cp(join(root, 'tiny-a', 'config.json'), join(root, 'broken', 'config.json'));
  await writeFile(join(root, 'broken', 'model.onnx'), 'not an onnx graph');
  return root;
}

export interface TestApp {
  app: PlatformApp;
  slot: ModelSlot;
  close(): Promise<void>;
}

export async function makeApp(
  storeDir: string,
  options: { preferred?: string; only?: string; apiKeys?: string[]; readKeys?: string[] } = {},
): Promise<TestApp> {
  const store = new ModelStore(storeDir, join(storeDir, 'no-shipped-models'));
  const slot = new ModelSlot();
  const pool = createPreprocessPool({ threads: 1, queue: 64 });
  if (options.only) await slot.activate(await store.get(options.only)).catch(() => undefined);
  else await loadInitialModel(store, slot, logger, options.preferred);
  const app = await buildApp({
    logger,
    pool,
    slot,
    store,
    apiKeys: options.apiKeys ?? [],
    readKeys: options.readKeys ?? [],
    limits: { maxPixels: 4_000_000, maxSide: 4096 },
    maxUploadBytes: 2 * 1024 * 1024,
    uncertainBelow: 0.7,
  });
  return {
    app,
    slot,
    close: async () => {
      await app.close();
      await pool.close();
      await slot.close();
    },
  };
}
