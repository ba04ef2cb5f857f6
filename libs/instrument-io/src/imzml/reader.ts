import { open, stat, type FileHandle } from 'node:fs/promises';
import { decodeArray } from '../binary/arrays.js';
import { InstrumentFileError } from '../errors.js';
import { CV } from '../mzml/cv.js';
import { MzmlHandler, type ExternalArray, type MzmlHeader } from '../mzml/handler.js';
import type { Chromatogram, InstrumentReader, Run, Spectrum } from '../types.js';
import { streamXml } from '../xml/stream.js';

/**
 * imzML: the mzML metadata streamed from the .imzML, arrays read by offset from the .ibd beside it
 * (continuous: one shared m/z array; processed: one per pixel). The .ibd's first 16 bytes must be
 * the UUID the .imzML names.
 */
export class ImzmlReader implements InstrumentReader {
  readonly ibdPath: string;

  constructor(readonly path: string) {
    this.ibdPath = path.replace(/\.imzml$/i, '.ibd');
  }

  async *spectra(): AsyncIterableIterator<Spectrum> {
    yield* this.iterate(true);
  }

  spectrumHeaders(): AsyncIterableIterator<Spectrum> {
    return this.iterate(false);
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    // imzML files hold spectra only.
  }

  async run(): Promise<Run> {
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    const handler = new MzmlHandler(this.path, header, { spectra: false, chromatograms: false });
    let pixels = 0;
    for await (const item of streamXml(this.path, handler)) if (item.kind === 'spectrum') pixels++;
    await this.checkUuid(header);
    const mode = header.fileContent?.[CV.processed] !== undefined ? 'processed' : 'continuous';
    return {
      format: 'imzML',
      instrument: header.instrument,
      started: header.started,
      spectrumCount: pixels,
      chromatogramCount: 0,
      metadata: { ...header.metadata, storage: mode, ibd: this.ibdPath },
    };
  }

  private async *iterate(decode: boolean): AsyncGenerator<Spectrum> {
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    const handler = new MzmlHandler(this.path, header, { spectra: true, chromatograms: false });
    let ibd: FileHandle | undefined;
    try {
      for await (const item of streamXml(this.path, handler)) {
        if (item.kind !== 'spectrum') continue;
        if (!ibd) {
          ibd = await this.openIbd(header);
        }
        if (decode) {
          for (const array of item.external) {
            item.spectrum[array.kind] = await this.readArray(ibd, array, item.spectrum.id);
          }
        }
        yield item.spectrum;
      }
    } finally {
      await ibd?.close();
    }
  }

  private async openIbd(header: MzmlHeader): Promise<FileHandle> {
    await this.checkUuid(header);
    return open(this.ibdPath, 'r');
  }

  private async checkUuid(header: MzmlHeader): Promise<void> {
    const declared = header.fileContent?.[CV.uuid];
    if (declared === undefined) throw new InstrumentFileError(this.path, undefined, 'a universally unique identifier (IMS:1000080)');
    const expected = declared.replace(/[{}-]/g, '').toLowerCase();
    let handle: FileHandle;
    try {
      handle = await open(this.ibdPath, 'r');
    } catch (cause) {
      throw new InstrumentFileError(this.ibdPath, undefined, 'the .ibd file next to the .imzML', { cause });
    }
    try {
      const head = Buffer.alloc(16);
      const { bytesRead } = await handle.read(head, 0, 16, 0);
      const actual = head.subarray(0, bytesRead).toString('hex');
      if (actual !== expected) {
        throw new InstrumentFileError(this.ibdPath, 0, `UUID ${expected} from the .imzML, found ${actual || 'nothing'}`);
      }
    } finally {
      await handle.close();
    }
  }

  private async readArray(ibd: FileHandle, array: ExternalArray, id: string): Promise<Float64Array> {
    const bytes = Buffer.alloc(array.encodedLength);
    const { bytesRead } = await ibd.read(bytes, 0, array.encodedLength, array.offset);
    if (bytesRead !== array.encodedLength) {
      const { size } = await stat(this.ibdPath);
      throw new InstrumentFileError(
        this.ibdPath,
        array.offset,
        `${String(array.encodedLength)} bytes of the ${array.kind} array of "${id}" (the file ends at ${String(size)})`,
      );
    }
    try {
      return decodeArray(bytes, array.encoding, array.length);
    } catch (cause) {
      throw new InstrumentFileError(this.ibdPath, array.offset, `${array.kind} array of "${id}": ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}
