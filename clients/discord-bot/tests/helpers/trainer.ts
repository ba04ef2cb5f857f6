// The real model-trainer for the bot's tests: its API and its training worker (the PyTorch kernel) as
// processes, on the real data-bank and Redis under the test's namespace. Its shipped public run
// answers /generate without any training.
import { waitFor } from '@platform/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL } from './bot.js';
import { startService, startWorkerProcess } from './processes.js';

export const SHIPPED_RUN = 'char-lstm-shakespeare-v1';

/** A corpus for a few seconds of training: 40 short documents (blank lines between them), so some are kept for validation. */
export const TOY_CORPUS = Buffer.from(
  Array.from({ length: 40 }, (_, n) => `${String(n)}. To be, or not to be, that is the question.\n`.repeat(8)).join('\n'),
);

export interface Trainer {
  url: string;
  apiKey: string;
  /** Throws, with the worker's output, when the worker process has exited (waits then fail at once). */
  checkWorker(): void;
  stop(): Promise<void>;
}

export async function startTrainer(dataBank: { url: string; apiKey: string }, namespace: string, apiKey = 'trainer-key'): Promise<Trainer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bot-trainer-'));
  const env = {
    REDIS_URL,
    DATA_BANK_URL: dataBank.url,
    DATA_BANK_API_KEY: dataBank.apiKey,
    TRAINER_API_KEYS: apiKey,
    TRAINER_DATA_DIR: dataDir,
    TRAINER_KEY_PREFIX: `${namespace}trainer`,
    TRAINER_REGISTRY_PREFIX: `${namespace}trainer-models`,
    TRAINER_QUEUE_PREFIX: `${namespace}bull`,
    TRAINER_EVENTS_NAMESPACE: namespace,
    // Every step the kernel reports becomes a metrics event (it reports at most every 2 s).
    TRAINER_STEP_EVENT_INTERVAL_MS: '1',
  };
  const worker = startWorkerProcess('model-trainer', env);
  const api = await startService('model-trainer', env).catch(async (error: unknown) => {
    await worker.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await Promise.all([worker.stop(), api.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  };
  const shipped = async () => (await fetch(`${api.url}/v1/runs/${SHIPPED_RUN}`, { headers: { 'x-api-key': apiKey } })).ok;
  await waitFor(shipped, 60_000, `model-trainer to register ${SHIPPED_RUN}`).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const checkWorker = () => {
    const { exitCode, signalCode } = worker.child;
    if (exitCode !== null || signalCode !== null)
      throw new Error(`model-trainer's worker exited (${String(exitCode ?? signalCode)}):\n${worker.output()}`);
  };
  return { url: api.url, apiKey, checkWorker, stop };
}
