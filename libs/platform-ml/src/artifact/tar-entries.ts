import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { ArtifactError } from '../errors.js';
import { ArtifactManifest, MANIFEST_FILE } from './manifest.js';
import { isSafeRelativePath } from './paths.js';

export interface EntryLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export interface VerifiedArtifact {
  manifest: ArtifactManifest;
  manifestBytes: Buffer;
  /** Every file of the manifest, in manifest order, verified against its size and hash. */
  files: { path: string; data: Buffer }[];
}

const MAX_MANIFEST_BYTES = 1024 * 1024;
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Calls `done` synchronously at the entry's end, before the parser reads the next header. */
function collect(entry: ReadEntry, done: (data: Buffer) => void): void {
  const chunks: Buffer[] = [];
  entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  entry.on('end', () => {
    done(Buffer.concat(chunks));
  });
}

/** Checks one entry against the manifest read so far; throws the refusal. */
class EntryChecker {
  manifest: ArtifactManifest | undefined;
  manifestBytes: Buffer = Buffer.alloc(0);
  readonly files = new Map<string, Buffer>();
  private entries = 0;
  private totalBytes = 0;

  constructor(private readonly limits: EntryLimits) {}

  /** The entry's path when its data is wanted, undefined for a directory. */
  admit(entry: ReadEntry): string | undefined {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw new ArtifactError('too-many-entries', `more than ${this.limits.maxEntries} entries`);
    const path = entry.type === 'Directory' ? entry.path.replace(/\/$/, '') : entry.path;
    if (!isSafeRelativePath(path)) throw new ArtifactError('unsafe-path', `unsafe path ${JSON.stringify(entry.path.slice(0, 200))}`);
    if (entry.type === 'Directory') return undefined;
    if (!FILE_TYPES.has(entry.type))
      throw new ArtifactError('unsupported-entry', `${path} is a ${entry.type}, only regular files are allowed`);
    if (entry.size > this.limits.maxEntryBytes) throw new ArtifactError('too-large', `${path} is over ${this.limits.maxEntryBytes} bytes`);
    this.totalBytes += entry.size;
    if (this.totalBytes > this.limits.maxTotalBytes)
      throw new ArtifactError('too-large', `the files are over ${this.limits.maxTotalBytes} bytes`);
    if (!this.manifest) {
      if (path !== MANIFEST_FILE) throw new ArtifactError('manifest-missing', `the first entry is ${path}, not ${MANIFEST_FILE}`);
      if (entry.size > MAX_MANIFEST_BYTES) throw new ArtifactError('too-large', `${MANIFEST_FILE} is over ${MAX_MANIFEST_BYTES} bytes`);
      return path;
    }
    const listed = this.manifest.files.find((file) => file.path === path);
    if (!listed) throw new ArtifactError('unlisted-file', `${path} is not in the manifest`);
    if (this.files.has(path)) throw new ArtifactError('duplicate-file', `${path} appears twice`);
    if (entry.size !== listed.size)
      throw new ArtifactError('size-mismatch', `${path} has ${entry.size} bytes, the manifest says ${listed.size}`);
    return path;
  }

  accept(path: string, data: Buffer): void {
    if (!this.manifest) {
      this.manifestBytes = data;
      let json: unknown;
      try {
        json = JSON.parse(data.toString('utf8'));
      } catch (error) {
        throw new ArtifactError('manifest-invalid', `${MANIFEST_FILE} is not JSON`, { cause: error });
      }
      const parsed = ArtifactManifest.safeParse(json);
      if (!parsed.success) throw new ArtifactError('manifest-invalid', `${MANIFEST_FILE}: ${parsed.error.message}`);
      this.manifest = parsed.data;
      return;
    }
    const listed = this.manifest.files.find((file) => file.path === path);
    if (createHash('sha256').update(data).digest('hex') !== listed?.sha256) {
      throw new ArtifactError('hash-mismatch', `${path} does not match its sha256 in the manifest`);
    }
    this.files.set(path, data);
  }

  result(): VerifiedArtifact {
    const manifest = this.manifest;
    if (!manifest) throw new ArtifactError('manifest-missing', `no ${MANIFEST_FILE}`);
    const files = manifest.files.map((file) => {
      const data = this.files.get(file.path);
      if (!data) throw new ArtifactError('missing-file', `${file.path} is in the manifest but not in the archive`);
      return { path: file.path, data };
    });
    return { manifest, manifestBytes: this.manifestBytes, files };
  }
}

/**
 * Reads a whole (already bounded) tar buffer and verifies it against its leading manifest. Only plain
 * ustar is accepted: the tar parser would otherwise gunzip a nested archive on its own.
 */
export async function verifyTar(tar: Buffer, limits: EntryLimits): Promise<VerifiedArtifact> {
  if (tar.subarray(257, 262).toString('latin1') !== 'ustar') throw new ArtifactError('not-tar', 'the archive is not a ustar tar');
  const checker = new EntryChecker(limits);
  let refusal: Error | undefined;
  const refuse = (work: () => void) => {
    try {
      if (refusal === undefined) work();
    } catch (error) {
      refusal = error instanceof Error ? error : new Error(String(error));
    }
  };
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      let path: string | undefined;
      refuse(() => {
        path = checker.admit(entry);
      });
      const wanted = path;
      if (wanted === undefined) entry.resume();
      else
        collect(entry, (data) => {
          refuse(() => {
            checker.accept(wanted, data);
          });
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', (error: Error) => {
      reject(new ArtifactError('not-tar', `bad tar: ${error.message}`, { cause: error }));
    });
    parser.on('end', resolve);
    parser.end(tar);
  });
  if (refusal !== undefined) throw refusal;
  return checker.result();
}
