import { AppError, errorMessage, type Logger } from '@platform/core';
import type { ModelRegistry } from '@platform/ml';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFiles } from './model-files.js';

/** The newest shipped model folder (models/<id>/ with model.onnx and config.json), by name. */
async function newestShipped(shippedDir: string): Promise<string | undefined> {
  // No models/ folder (a build that ships none): the service starts without one and /readyz says so.
  const entries = await readdir(shippedDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .at(-1);
}

/**
 * When the registry has no active model, registers the shipped one (packed and uploaded like a trained
 * model) and activates it. Several processes may do this at once: the registry keeps the first.
 * Failures are logged; the API starts anyway and /readyz says why.
 */
export async function activateShippedModel(registry: ModelRegistry, files: ModelFiles, shippedDir: string, logger: Logger): Promise<void> {
  try {
    if (await registry.active()) return;
    const id = await newestShipped(shippedDir);
    if (id === undefined) return;
    if (!(await registry.get(id))) await registerShipped(registry, files, join(shippedDir, id), id);
    await registry.activate(id);
    logger.info({ model_id: id }, 'registered and activated the shipped model');
  } catch (error) {
    logger.error({ err: errorMessage(error) }, 'the shipped model could not be registered');
  }
}

async function registerShipped(registry: ModelRegistry, files: ModelFiles, source: string, id: string): Promise<void> {
  const work = await files.scratch();
  try {
    const dir = join(work, id);
    await mkdir(dir);
    await Promise.all(['model.onnx', 'config.json'].map((name) => copyFile(join(source, name), join(dir, name))));
    await files.publishModel(dir, id, registry);
  } catch (error) {
    // Another process registered it first (its manifest has another created_at, so another file).
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
