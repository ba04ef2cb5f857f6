import { AppError, errorMessage, type Logger } from '@platform/core';
import type { ArtifactCache, ModelRegistry } from '@platform/ml';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { lmManifestFields, readLmConfig } from './lm-config.js';
import { EMPTY_METRICS, type RunStore } from './run-store.js';

const SHIPPED_FILES = ['model.onnx', 'config.json', 'tokenizer.json'];
/** corpus.json: free-form facts about the training corpus, shown with the run. */
const CorpusDescription = z.record(z.string(), z.unknown()).nullable();
const num = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * Makes each shipped model (models/<id>/) a completed, public run of that id, packed and uploaded like
 * a trained one, so generate and score work right after `npm run up`. Several processes may do this at
 * once: the registry keeps the first. Failures are logged; the API starts anyway. Answers whether all
 * were registered.
 */
export async function registerShippedModels(deps: ShippedDeps, shippedDir: string): Promise<boolean> {
  let all = true;
  // No models/ folder (a trimmed image) means nothing is shipped.
  const entries = await readdir(shippedDir, { withFileTypes: true }).catch(() => []);
  for (const id of entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
    try {
      const record = await deps.store.get(id);
      if (record?.artifact && (await deps.registry.get(id))) continue;
      const source = join(shippedDir, id);
      const entry = (await deps.registry.get(id)) ?? (await publish(deps, source, id));
      const config = await readLmConfig(source);
      // corpus.json is descriptive only: a model shipped without it still serves.
      const corpus = CorpusDescription.parse(JSON.parse(await readFile(join(source, 'corpus.json'), 'utf8').catch(() => 'null')));
      const now = new Date().toISOString();
      const metrics = config.metrics;
      await deps.store.put({
        run_id: id,
        job_id: null,
        user_id: '0',
        status: 'completed',
        progress: 100,
        family: config.model.family,
        size: config.model.size,
        public: true,
        tokenizer_id: null,
        request: null,
        corpus,
        artifact: { model_id: id, file_id: entry.file_id },
        metrics: {
          ...EMPTY_METRICS,
          step: num(metrics.steps),
          best_val_loss: num(metrics.best_val_loss),
          val_loss: num(metrics.best_val_loss),
        },
        checkpoint: null,
        created_at: entry.manifest.created_at,
        updated_at: now,
        error: null,
      });
      deps.logger.info({ model_id: id }, 'registered the shipped model as a public run');
    } catch (error) {
      all = false;
      deps.logger.error({ model_id: id, err: errorMessage(error) }, 'the shipped model could not be registered');
    }
  }
  return all;
}

interface ShippedDeps {
  registry: ModelRegistry;
  cache: ArtifactCache;
  store: RunStore;
  logger: Logger;
}

/**
 * Registers in the background, trying again every `intervalMs` until it works (data-bank may start
 * after this service under `npm run up`). Answers a function that stops the retries.
 */
export function keepRegisteringShippedModels(deps: ShippedDeps, shippedDir: string, intervalMs = 5000): () => void {
  const state: { timer?: NodeJS.Timeout; stopped: boolean } = { stopped: false };
  const attempt = async () => {
    const done = await registerShippedModels(deps, shippedDir);
    if (!done && !state.stopped) state.timer = setTimeout(() => void attempt(), intervalMs);
  };
  void attempt();
  return () => {
    state.stopped = true;
    clearTimeout(state.timer);
  };
}

async function publish(deps: { registry: ModelRegistry; cache: ArtifactCache }, source: string, id: string) {
  const work = await deps.cache.scratch();
  try {
    const dir = join(work, id);
    await mkdir(dir);
    await Promise.all(SHIPPED_FILES.map((name) => copyFile(join(source, name), join(dir, name))));
    return await deps.cache.publish(dir, lmManifestFields(id, await readLmConfig(dir), { shipped: true }), deps.registry);
  } catch (error) {
    // Another process registered it first (its manifest has another created_at, so another file).
    if (error instanceof AppError && error.code === 'CONFLICT') {
      const entry = await deps.registry.get(id);
      if (entry) return entry;
    }
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
