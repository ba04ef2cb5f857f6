import type { ManifestFields } from '@platform/ml';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** The registry kind of every language model of this service. */
export const LM_KIND = 'trainer-lm';

/** The part of the kernel's config.json the service reads. */
export const LmConfig = z.object({
  model: z.object({
    family: z.enum(['gpt2', 'char_lstm']),
    size: z.string(),
    vocab_size: z.number().int().positive(),
    context_length: z.number().int().positive(),
    n_layer: z.number().int().positive(),
    n_head: z.number().int().min(0),
    n_embd: z.number().int().positive(),
    hidden: z.number().int().positive(),
  }),
  framework: z.record(z.string(), z.string()).default({}),
  metrics: z.record(z.string(), z.unknown()).default({}),
  hyperparameters: z.record(z.string(), z.unknown()).default({}),
});
export type LmConfig = z.output<typeof LmConfig>;

export async function readLmConfig(dir: string): Promise<LmConfig> {
  return LmConfig.parse(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
}

const numericMetrics = (metrics: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])),
  );

export function lmManifestFields(id: string, config: LmConfig, extra: Record<string, unknown> = {}): ManifestFields {
  return {
    id,
    kind: LM_KIND,
    created_at: new Date().toISOString(),
    frameworks: config.framework,
    hyperparameters: config.hyperparameters,
    metrics: numericMetrics(config.metrics),
    extra: { family: config.model.family, size: config.model.size, ...extra },
  };
}
