import { AppError, errorMessage } from '@platform/core';
import { ArtifactError, uploadArtifact, unpackArtifact, type ModelRegistry, type RegisteredModel } from '@platform/ml';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkedModel } from './digit-server.js';
import type { ModelFiles } from './model-files.js';

const refused = (why: string, cause: unknown) => new AppError('INVALID_INPUT', `The artifact was refused: ${why}`, { cause });

/**
 * Registers an uploaded `.tar.xz` artifact (inactive): `stage` saves the upload into a scratch folder
 * and answers its path; it is unpacked with every hash verified, its graph run once, and only then
 * stored in data-bank and registered. A tampered, unsafe or non-running artifact is a 400 that leaves
 * nothing in data-bank or the registry; the scratch folder is removed either way.
 */
export async function registerUploadedArtifact(
  stage: (scratchDir: string) => Promise<string>,
  files: ModelFiles,
  registry: ModelRegistry,
): Promise<RegisteredModel> {
  const work = await files.scratch();
  try {
    const archive = await stage(work);
    const dir = join(work, 'unpacked');
    const manifest = await unpackArtifact(archive, dir).catch((error: unknown) => {
      throw error instanceof ArtifactError ? refused(`${error.reason} (${error.message})`, error) : error;
    });
    if (manifest.kind !== registry.kind) throw refused(`a ${manifest.kind.slice(0, 64)} model is not a ${registry.kind} model`, undefined);
    if (await registry.get(manifest.id)) throw new AppError('CONFLICT', `A model ${manifest.id} is already registered`);
    await checkedModel(dir, manifest).catch((error: unknown) => {
      throw refused(`the model does not run (${errorMessage(error).slice(0, 200)})`, error);
    });
    const { file_id } = await uploadArtifact(files.dataBank, archive);
    await files.adopt(dir, file_id);
    return await registry.register({ manifest, file_id });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
