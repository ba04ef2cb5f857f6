import { installGracefulShutdown, type Logger } from '@platform/core';
import type { WorkerHandle } from './worker.js';

export interface WorkerProcessOptions {
  logger: Logger;
  workers: WorkerHandle[];
  /** Run after the workers have stopped (close Redis connections, publishers...). */
  closers?: (() => Promise<unknown>)[];
  /** How long running jobs may take to finish on SIGTERM before they are released (default 20 s). */
  graceMs?: number;
}

/** Worker process entry: on SIGTERM/SIGINT stop taking jobs, finish or release the current ones, close, exit. */
export function runWorkerProcess(options: WorkerProcessOptions): void {
  const graceMs = options.graceMs ?? 20_000;
  installGracefulShutdown({
    logger: options.logger,
    timeoutMs: graceMs + 10_000,
    steps: [() => Promise.all(options.workers.map((handle) => handle.close(graceMs))), ...(options.closers ?? [])],
  });
  options.logger.info({ queues: options.workers.map((handle) => handle.worker.name) }, 'worker started');
}
