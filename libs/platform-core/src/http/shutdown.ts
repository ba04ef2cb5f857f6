import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Closers run in order: stop accepting, finish in-flight work, then close connections. */
  steps: (() => Promise<unknown>)[];
  /** Upper bound for the whole shutdown before the process exits anyway (default 25 s). */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
}

/** Runs the steps once on SIGTERM/SIGINT and exits; a second signal exits at once. */
export function installGracefulShutdown(options: ShutdownOptions): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      options.logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    options.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      options.logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, options.timeoutMs ?? 25_000);
    deadline.unref();
    void (async () => {
      let code = 0;
      for (const step of options.steps) {
        try {
          await step();
        } catch (error) {
          code = 1;
          options.logger.error({ err: errorMessage(error) }, 'shutdown step failed');
        }
      }
      options.logger.info('stopped');
      options.logger.flush();
      process.exit(code);
    })();
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
}
