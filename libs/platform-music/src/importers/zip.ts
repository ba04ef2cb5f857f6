import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ExportFormatError } from '../errors.js';

const openZip = promisify<string, yauzl.Options, ZipFile>(yauzl.open);

/** What a zip may declare before any of it is read: its central directory is held while reading. */
export interface ZipLimits {
  /** Entries (files and folders) in the central directory. */
  maxEntries: number;
  /** Bytes of the central directory (46 per entry plus its name, extra field and comment). */
  maxDirectoryBytes: number;
}

/** Generous for real exports (a Takeout or Apple privacy zip holds a few thousand files at most). */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxDirectoryBytes: 16 * 1024 * 1024 };

/** A central directory file header's fixed part. */
const DIRECTORY_HEADER_BYTES = 46;

export interface ZipArchive {
  /** The names of the entries `keep` accepted, in directory order. */
  names: string[];
  /** Streams one kept entry's bytes (yauzl checks its size and CRC as it goes). */
  open(name: string): Promise<Readable>;
  close(): void;
}

/** yauzl's own reasons (bad signature, truncated) help the user; file-system errors would name our paths. */
function reason(error: unknown): string {
  return error instanceof Error && !('code' in error) ? `: ${error.message}` : '';
}

function tooLarge(what: string, limit: number): ExportFormatError {
  return new ExportFormatError(`the zip file has too many entries or too large a directory (${what}; at most ${String(limit)})`);
}

/**
 * Opens a zip file and reads its central directory, keeping only the entries `keep` accepts. The
 * declared entry count is checked before any entry is read, and the directory's bytes as they are
 * read, so a zip of a million empty entries is refused at once in bounded memory.
 */
export async function openArchive(
  path: string,
  keep: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await openZip(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new ExportFormatError(`not a readable zip file${reason(error)}`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw tooLarge(`${String(zip.entryCount)} entries`, limits.maxEntries);
  }
  const entries = new Map<string, Entry>();
  let directoryBytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        directoryBytes += DIRECTORY_HEADER_BYTES + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
        if (directoryBytes > limits.maxDirectoryBytes) {
          reject(tooLarge(`a directory over ${String(limits.maxDirectoryBytes)} bytes`, limits.maxDirectoryBytes));
          return;
        }
        if (!entry.fileName.endsWith('/') && keep(entry.fileName)) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', (error: Error) => {
        reject(new ExportFormatError(`corrupt zip file${reason(error)}`));
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  const openStream = promisify<Entry, Readable>(zip.openReadStream.bind(zip));
  return {
    names: [...entries.keys()],
    open: async (name) => {
      const entry = entries.get(name);
      if (!entry) throw new ExportFormatError(`no entry ${name} in the zip file`);
      try {
        return await openStream(entry);
      } catch (error) {
        throw new ExportFormatError(`cannot read ${name} in the zip file${reason(error)}`, { file: name });
      }
    },
    close: () => {
      zip.close();
    },
  };
}
