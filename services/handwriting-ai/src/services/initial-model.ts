import type { Logger } from '@platform/core';
import type { ModelSlot } from './model-slot.js';
import type { ModelStore } from './model-store.js';

/**
 * Serves `preferred`, else the newest model (writable store first, then the shipped one). A model
 * that fails to load is logged and skipped: the API starts anyway and /readyz says why.
 */
export async function loadInitialModel(store: ModelStore, slot: ModelSlot, logger: Logger, preferred?: string): Promise<void> {
  const models = await store.list();
  const ordered = [...models.filter((model) => model.id === preferred), ...models.filter((model) => model.id !== preferred)];
  for (const model of ordered) {
    try {
      await slot.activate(model);
      logger.info({ model_id: model.id, shipped: model.shipped }, 'model loaded');
      return;
    } catch (error) {
      logger.error({ model_id: model.id, err: error }, 'model could not be loaded; trying the next one');
    }
  }
  logger.warn('no model could be loaded; /readyz answers 503 until one is activated');
}
