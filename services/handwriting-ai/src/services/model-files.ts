import { createDataBankClient, type DataBankClient } from '@platform/core';
import { downloadArtifact, MANIFEST_FILE, ModelRegistry, packArtifact, unpackArtifact, uploadArtifact, writeManifest, type RegisteredModel } from '@platform/ml';
import type { Redis } from 'ioredis';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { digitManifestFields, DIGITS_KIND, readDigitConfig } from './digit-config.js';

export const digitsRegistry = (redis: Redis, prefix?: string) => new ModelRegistry(redis, { kind: DIGITS_KIND, ...(prefix !== undefined && { prefix }) });

export const createDataBank = (baseUrl: string, apiKey: string): DataBankClient => createDataBankClient({ baseUrl, apiKey });

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * Artifacts in data-bank, unpacked (every hash verified) into a local cache, one folder per data-bank
 * file id: the same file is downloaded once per machine, whichever process asks first.
 */
export class ModelFiles {
  constructor(
    readonly dataBank: DataBankClient,
    private readonly cacheDir: string,
  ) {}

  async dirOf(entry: Pick<RegisteredModel, 'file_id'>): Promise<string> {
    const dir = join(this.cacheDir, entry.file_id);
    if (await exists(join(dir, MANIFEST_FILE))) return dir;
    const work = await this.scratch();
    try {
      const archive = join(work, 'model.tar.xz');
      await downloadArtifact(this.dataBank, entry.file_id, archive);
      await unpackArtifact(archive, join(work, 'unpacked'));
      await this.adopt(join(work, 'unpacked'), entry.file_id);
      return dir;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Moves a verified unpacked artifact into the cache as `fileId` (so this machine never downloads it). */
  async adopt(unpacked: string, fileId: string): Promise<void> {
    const dir = join(this.cacheDir, fileId);
    if (await exists(join(dir, MANIFEST_FILE))) return;
    await rm(dir, { recursive: true, force: true });
    // A concurrent unpack of the same file may win the rename; its folder holds the same bytes.
    await rename(unpacked, dir).catch(async (error: unknown) => {
      if (!(await exists(join(dir, MANIFEST_FILE)))) throw error;
    });
  }

  /** A fresh folder in the cache's file system (renames stay on one disk); the caller removes it. */
  async scratch(): Promise<string> {
    await mkdir(this.cacheDir, { recursive: true });
    return mkdtemp(join(this.cacheDir, '.work-'));
  }

  /** Writes the manifest of a kernel output folder, packs, uploads and registers it as `id`. */
  async publish(dir: string, id: string, registry: ModelRegistry): Promise<RegisteredModel> {
    await writeManifest(dir, digitManifestFields(id, await readDigitConfig(dir)));
    const archive = `${dir}.tar.xz`;
    try {
      const { manifest } = await packArtifact(dir, archive);
      const { file_id } = await uploadArtifact(this.dataBank, archive);
      return await registry.register({ manifest, file_id });
    } finally {
      await rm(archive, { force: true });
    }
  }
}
