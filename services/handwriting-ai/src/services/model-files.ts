import { createDataBankClient, type DataBankClient } from '@platform/core';
import { ArtifactCache, ModelRegistry, type RegisteredModel } from '@platform/ml';
import type { Redis } from 'ioredis';
import { digitManifestFields, DIGITS_KIND, readDigitConfig } from './digit-config.js';

export const digitsRegistry = (redis: Redis, prefix?: string) =>
  new ModelRegistry(redis, { kind: DIGITS_KIND, ...(prefix !== undefined && { prefix }) });

export const createDataBank = (baseUrl: string, apiKey: string): DataBankClient => createDataBankClient({ baseUrl, apiKey });

/**
 * Digits models in data-bank, unpacked and cached per file id: @platform/ml's ArtifactCache, publishing
 * with the digits manifest (kind, framework versions and metrics from the kernel's config.json).
 */
export class ModelFiles extends ArtifactCache {
  /** Writes the manifest of a kernel output folder, packs, uploads and registers it as `id`. */
  async publishModel(dir: string, id: string, registry: ModelRegistry): Promise<RegisteredModel> {
    return this.publish(dir, digitManifestFields(id, await readDigitConfig(dir)), registry);
  }
}
