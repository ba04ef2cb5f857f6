import { decompress } from '@napi-rs/lzma/xz';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ArtifactError } from '../errors.js';
import { MANIFEST_FILE, type ArtifactManifest } from './manifest.js';
import { verifyTar, type EntryLimits, type VerifiedArtifact } from './tar-entries.js';
import { xzDecompressedSize } from './xz-size.js';

export type UnpackLimits = Partial<EntryLimits>;

export const DEFAULT_UNPACK_LIMITS: EntryLimits = {
  maxEntries: 100,
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** What a tar needs beyond its files' bytes: a header and padding per entry, pax records, the end blocks. */
const tarOverhead = (limits: EntryLimits) => (limits.maxEntries + 1) * 3 * 512 + 1024 * 1024;

/** Reads the .xz file and decompresses it only once its chunk headers promise a size within bounds. */
async function boundedTar(file: string, limits: EntryLimits): Promise<Buffer> {
  const maxTar = limits.maxTotalBytes + tarOverhead(limits);
  // Stored (uncompressed) LZMA2 chunks add 3 bytes per 64 KiB: a compressed file is never much larger.
  if ((await stat(file)).size > maxTar * 1.01 + 65536) throw new ArtifactError('too-large', `${file} is larger than the limits allow`);
  const compressed = await readFile(file);
  const size = xzDecompressedSize(compressed);
  if (size > maxTar) throw new ArtifactError('too-large', `the archive decompresses to ${size} bytes, over the limit of ${maxTar}`);
  try {
    return await decompress(compressed);
  } catch (error) {
    throw new ArtifactError('not-xz', `the archive does not decompress: ${String(error)}`, { cause: error });
  }
}

async function checkDestination(destDir: string): Promise<boolean> {
  try {
    if ((await readdir(destDir)).length > 0) throw new ArtifactError('destination-not-empty', `${destDir} is not empty`);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function writeAll(dir: string, artifact: VerifiedArtifact): Promise<void> {
  await mkdir(dir);
  await writeFile(join(dir, MANIFEST_FILE), artifact.manifestBytes);
  for (const file of artifact.files) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data);
  }
}

/**
 * Unpacks an artifact into `destDir` (absent or empty) after verifying all of it in memory: the
 * decompressed size is bounded before decompressing, then every entry is checked (see tar-entries).
 * Files go to a sibling staging dir renamed into place, so a failure leaves nothing in `destDir`.
 */
export async function unpackArtifact(file: string, destDir: string, limits: UnpackLimits = {}): Promise<ArtifactManifest> {
  const bounds = { ...DEFAULT_UNPACK_LIMITS, ...limits };
  const destExists = await checkDestination(destDir);
  const artifact = await verifyTar(await boundedTar(file, bounds), bounds);
  await mkdir(dirname(destDir), { recursive: true });
  const staging = `${destDir}.unpack-${randomBytes(6).toString('hex')}`;
  try {
    await writeAll(staging, artifact);
    if (destExists) await rmdir(destDir);
    await rename(staging, destDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return artifact.manifest;
}
