import type { ManifestFields } from '@platform/ml';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** The registry kind of every digits model. */
export const DIGITS_KIND = 'digits';

/** The part of the kernel's config.json the service reads. */
export const DigitConfig = z.object({
  architecture: z.string(),
  temperature: z.number().positive(),
  hyperparameters: z.record(z.string(), z.unknown()).default({}),
  framework: z.record(z.string(), z.string()).default({}),
  metrics: z.record(z.string(), z.unknown()).default({}),
});
export type DigitConfig = z.infer<typeof DigitConfig>;

export async function readDigitConfig(dir: string): Promise<DigitConfig> {
  return DigitConfig.parse(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
}

const numericMetrics = (metrics: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));

/** The artifact manifest of a model folder written by the kernel (its config.json says what it is). */
export function digitManifestFields(id: string, config: DigitConfig): ManifestFields {
  return {
    id,
    kind: DIGITS_KIND,
    created_at: new Date().toISOString(),
    frameworks: config.framework,
    hyperparameters: config.hyperparameters,
    metrics: numericMetrics(config.metrics),
    extra: { architecture: config.architecture, temperature: config.temperature },
  };
}
