import { errorMessage, type Logger } from '@platform/core';
import type { ModelRegistry } from '@platform/ml';
import type { DigitServer } from './digit-server.js';

export interface ModelFollower {
  /** Serves the registry's active model if it is not served yet. */
  sync(): Promise<void>;
  stop(): void;
}

/**
 * Keeps this process on the registry's active model: an activation through any API process reaches
 * every other one within `intervalMs`, loaded completely before it serves. A model that failed to load
 * is not tried again until another one is activated (one error in the log, not one per poll).
 */
export function followActiveModel(server: DigitServer, registry: ModelRegistry, logger: Logger, intervalMs: number): ModelFollower {
  let failedFileId: string | undefined;
  let running: Promise<void> | undefined;
  const syncOnce = async () => {
    const active = await registry.active();
    if (!active || active.id === server.active?.id || active.file_id === failedFileId) return;
    try {
      await server.load(active);
      failedFileId = undefined;
      logger.info({ model_id: active.id }, 'serving the registry active model');
    } catch (error) {
      failedFileId = active.file_id;
      logger.error(
        { model_id: active.id, err: errorMessage(error instanceof Error && error.cause !== undefined ? error.cause : error) },
        'the active model could not be loaded',
      );
    }
  };
  const sync = () =>
    (running ??= syncOnce().finally(() => {
      running = undefined;
    }));
  const timer = setInterval(() => {
    sync().catch((error: unknown) => {
      logger.warn({ err: errorMessage(error) }, 'could not read the active model');
    });
  }, intervalMs);
  timer.unref();
  return {
    sync,
    stop: () => {
      clearInterval(timer);
    },
  };
}
