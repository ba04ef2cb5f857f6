import { compress } from '@napi-rs/lzma/xz';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { ArtifactError } from '../errors.js';
import { ArtifactManifest, describeFiles, MANIFEST_FILE } from './manifest.js';

async function readManifest(dir: string): Promise<ArtifactManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new ArtifactError('manifest-missing', `${dir} has no ${MANIFEST_FILE}: call writeManifest first`, {
      cause: error,
    });
  }
  const parsed = ArtifactManifest.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ArtifactError('manifest-invalid', `${MANIFEST_FILE}: ${parsed.error.message}`);
  return parsed.data;
}

/** Refuses to pack a dir whose files changed (or appeared) since its manifest was written. */
async function checkUnchanged(dir: string, manifest: ArtifactManifest): Promise<void> {
  const listed = new Map(manifest.files.map((file) => [file.path, file]));
  const present = await describeFiles(dir);
  for (const file of present) {
    const expected = listed.get(file.path);
    if (!expected) throw new ArtifactError('unlisted-file', `${file.path} is not in the manifest`);
    if (expected.sha256 !== file.sha256) throw new ArtifactError('hash-mismatch', `${file.path} changed since the manifest was written`);
  }
  if (present.length !== listed.size) throw new ArtifactError('missing-file', 'a file in the manifest is missing');
}

async function tarBytes(dir: string, paths: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = create({ cwd: dir, portable: true, noDirRecurse: true }, paths);
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Packs `dir` (with its manifest.json) into `outFile` as .tar.xz, manifest.json first so a reader
 * checks it before anything else. The dir must match its manifest exactly.
 */
export async function packArtifact(dir: string, outFile: string): Promise<{ manifest: ArtifactManifest; bytes: number }> {
  const manifest = await readManifest(dir);
  await checkUnchanged(dir, manifest);
  const compressed = await compress(await tarBytes(dir, [MANIFEST_FILE, ...manifest.files.map((file) => file.path)]));
  await writeFile(`${outFile}.part`, compressed);
  await rename(`${outFile}.part`, outFile);
  return { manifest, bytes: compressed.length };
}
