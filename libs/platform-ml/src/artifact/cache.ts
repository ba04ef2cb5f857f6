import type { DataBankClient } from '@platform/core';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRegistry, RegisteredModel } from '../registry.js';
import { MANIFEST_FILE, writeManifest, type ManifestFields } from './manifest.js';
import { packArtifact } from './pack.js';
import { downloadArtifact, uploadArtifact } from './transfer.js';
import { unpackArtifact, type UnpackLimits } from './unpack.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Artifacts in data-bank, unpacked (every hash verified) into a local cache, one folder per data-bank
 * file id: the same file is downloaded once per machine, whichever process asks first.
 */
export class ArtifactCache {
  constructor(
    readonly dataBank: DataBankClient,
    readonly cacheDir: string,
    private readonly limits?: UnpackLimits,
  ) {}

  /** The unpacked folder of a data-bank artifact (downloaded and verified on first use). */
  async dirOf(fileId: string): Promise<string> {
    const dir = join(this.cacheDir, fileId);
    if (await exists(join(dir, MANIFEST_FILE))) return dir;
    const work = await this.scratch();
    try {
      const archive = join(work, 'artifact.tar.xz');
      await downloadArtifact(this.dataBank, fileId, archive);
      await unpackArtifact(archive, join(work, 'unpacked'), this.limits);
      await this.adopt(join(work, 'unpacked'), fileId);
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

  /** Writes the manifest of `dir`, packs, uploads and registers it (and keeps the folder as its cache entry). */
  async publish(dir: string, fields: ManifestFields, registry: ModelRegistry): Promise<RegisteredModel> {
    await writeManifest(dir, fields);
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
