import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, rename, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ArtifactError } from '../errors.js';
import { isSafeRelativePath } from './paths.js';

export const MANIFEST_FILE = 'manifest.json';

export const ArtifactFile = z.object({
  path: z
    .string()
    .refine(isSafeRelativePath, 'a relative path inside the artifact')
    .refine((path) => path !== MANIFEST_FILE, 'the manifest does not list itself'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArtifactFile = z.infer<typeof ArtifactFile>;

/** What a trained model is and which files make it up (DESIGN.md section 7). */
export const ArtifactManifest = z.object({
  id: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  created_at: z.iso.datetime({ offset: true }),
  frameworks: z.record(z.string(), z.string()),
  hyperparameters: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.number()),
  extra: z.record(z.string(), z.unknown()).default({}),
  files: z.array(ArtifactFile).refine((files) => new Set(files.map((file) => file.path)).size === files.length, 'each path once'),
});
export type ArtifactManifest = z.infer<typeof ArtifactManifest>;

export type ManifestFields = Omit<ArtifactManifest, 'files' | 'extra'> & { extra?: Record<string, unknown> };

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), hash);
  return hash.digest('hex');
}

/** The regular files under `dir` as sorted relative POSIX paths; links and special files are refused. */
async function listFiles(dir: string, root = dir): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = relative(root, path).split(sep).join('/');
    if (entry.isDirectory()) found.push(...(await listFiles(path, root)));
    else if (entry.isFile()) found.push(name);
    else throw new ArtifactError('unsupported-entry', `${name} is not a regular file`);
  }
  return found.sort();
}

/** Hashes the files listed in a manifest, as they are in `dir` now. */
export async function describeFiles(dir: string): Promise<ArtifactFile[]> {
  const paths = (await listFiles(dir)).filter((path) => path !== MANIFEST_FILE);
  return Promise.all(
    paths.map(async (path) => {
      const full = join(dir, path);
      return { path, size: (await lstat(full)).size, sha256: await sha256OfFile(full) };
    }),
  );
}

/** Hashes every regular file in `dir` (except manifest.json) and writes `dir/manifest.json`. */
export async function writeManifest(dir: string, fields: ManifestFields): Promise<ArtifactManifest> {
  const manifest = ArtifactManifest.parse({ ...fields, files: await describeFiles(dir) });
  const path = join(dir, MANIFEST_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  return manifest;
}
