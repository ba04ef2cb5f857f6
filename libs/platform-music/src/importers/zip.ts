import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ExportFormatError } from '../errors.js';

const openZip = promisify<string, yauzl.Options, ZipFile>(yauzl.open);

export interface ZipArchive {
  names: string[];
  /** Streams one entry's bytes (yauzl checks its size and CRC as it goes). */
  open(name: string): Promise<Readable>;
  close(): void;
}

/** Opens a zip file and reads its central directory; entries are streamed on demand. */
export async function openArchive(path: string): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await openZip(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new ExportFormatError(`not a readable zip file: ${(error as Error).message}`);
  }
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', (error: Error) => {
      reject(new ExportFormatError(`corrupt zip file: ${error.message}`));
    });
    zip.readEntry();
  });
  const openStream = promisify<Entry, Readable>(zip.openReadStream.bind(zip));
  return {
    names: [...entries.keys()],
    open: async (name) => {
      const entry = entries.get(name);
      if (!entry) throw new ExportFormatError(`no entry ${name} in the zip file`);
      try {
        return await openStream(entry);
      } catch (error) {
        throw new ExportFormatError(`cannot read ${name}: ${(error as Error).message}`, { file: name });
      }
    },
    close: () => {
      zip.close();
    },
  };
}
