import { createLogger } from '@platform/core';
import { findPython, runKernel, type KernelEvent } from '@platform/ml';
import { readFile } from 'node:fs/promises';
import { prepareCorpus, type PreparedCorpus } from '../../src/services/corpus/prepare.js';
import { KERNEL_DIR, KERNEL_MODULE } from '../../src/services/kernel.js';
import { SHAKESPEARE } from './corpus.js';

export const logger = createLogger({ service: 'model-trainer-test', level: 'silent' });
export const PYTHON = process.env.PLATFORM_PYTHON ?? '/usr/bin/python3';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** The first 100 kB of tiny-shakespeare as char-level token files in `dir`. */
export async function tinyCorpus(dir: string): Promise<PreparedCorpus> {
  const text = (await readFile(SHAKESPEARE, 'utf8')).slice(0, 100_000);
  return prepareCorpus(Buffer.from(text), dir, {
    format: 'text',
    field: 'text',
    fractions: { val: 0.1, test: 0 },
    seed: 0,
    maxBytes: 1 << 24,
  });
}

export async function kernel(
  command: 'train' | 'export',
  request: Record<string, unknown>,
  options: { signal?: AbortSignal; onEvent?: (event: KernelEvent) => void } = {},
) {
  const events: KernelEvent[] = [];
  const result = await runKernel({
    python: await findPython(PYTHON),
    module: KERNEL_MODULE,
    cwd: KERNEL_DIR,
    command,
    request,
    logger,
    ...(options.signal && { signal: options.signal }),
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { result, events };
}

export const metricsOf = (events: KernelEvent[], kind: string) =>
  events.filter((event) => event.event === 'metrics' && event.kind === kind) as (KernelEvent & Record<string, number>)[];
