import { stat } from 'node:fs/promises';
import { InstrumentFileError } from '../errors.js';
import type { Chromatogram, InstrumentReader, Run, Spectrum } from '../types.js';
import {
  parseIndexList,
  readElement,
  readRange,
  scanOffsets,
  trailingOffset,
  type OffsetList,
} from '../xml/offsets.js';
import { parseFragment, streamXml } from '../xml/stream.js';
import { MzxmlHandler, type MzxmlHeader } from './handler.js';

const MAX_ELEMENT = 1 << 30;

/** mzXML 2.x/3.x: streaming iteration of all MS levels and random access by scan number or index. */
export class MzxmlReader implements InstrumentReader {
  private header: MzxmlHeader | undefined;
  private offsets: { list: OffsetList; source: 'index' | 'scan' } | undefined;

  constructor(readonly path: string) {}

  spectra(): AsyncIterableIterator<Spectrum> {
    return streamXml(this.path, new MzxmlHandler(this.path, { metadata: {} }, true));
  }

  spectrumHeaders(): AsyncIterableIterator<Spectrum> {
    return streamXml(this.path, new MzxmlHandler(this.path, { metadata: {} }, false));
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    // mzXML has no chromatograms.
  }

  async run(): Promise<Run> {
    const header = await this.loadHeader();
    const offsets = await this.loadOffsets();
    return {
      format: 'mzXML',
      instrument: header.instrument,
      started: undefined,
      spectrumCount: offsets.list.ids.length,
      chromatogramCount: 0,
      metadata: { ...header.metadata, offsets_from: offsets.source },
    };
  }

  async get(idOrIndex: string | number): Promise<Spectrum> {
    const offsets = await this.loadOffsets();
    const found = await this.readAt(offsets.list, idOrIndex);
    if (found) return found;
    if (offsets.source === 'index') {
      this.offsets = await this.scan();
      const retried = await this.readAt(this.offsets.list, idOrIndex);
      if (retried) return retried;
    }
    throw new InstrumentFileError(this.path, undefined, `a scan with ${typeof idOrIndex === 'number' ? 'index' : 'num'} ${String(idOrIndex)}`);
  }

  private async readAt(list: OffsetList, idOrIndex: string | number): Promise<Spectrum | undefined> {
    const position = typeof idOrIndex === 'number' ? idOrIndex : list.byId.get(idOrIndex);
    if (position === undefined || position < 0 || position >= list.ids.length) return undefined;
    const offset = list.offsets[position] ?? 0;
    // A scan's own data ends with its peaks; nested MS2 scans follow, so the fragment is closed here.
    const xml = await readElement(this.path, offset, '</peaks>', MAX_ELEMENT);
    const head = xml?.subarray(0, 4096).toString('utf8');
    const tagEnd = head?.indexOf('>') ?? -1;
    if (!xml || !head?.startsWith('<scan') || !head.slice(0, tagEnd).includes(`num="${list.ids[position] ?? ''}"`)) {
      return undefined;
    }
    const handler = new MzxmlHandler(this.path, { metadata: {} }, true);
    const [spectrum] = parseFragment(this.path, offset, Buffer.concat([xml, Buffer.from('</scan>')]), handler);
    if (spectrum) spectrum.index = position;
    return spectrum;
  }

  private async loadHeader(): Promise<MzxmlHeader> {
    if (this.header) return this.header;
    const header: MzxmlHeader = { metadata: {} };
    const handler = new MzxmlHandler(this.path, header, false);
    const stream = streamXml(this.path, handler, { done: () => handler.reachedData });
    while (!(await stream.next()).done) {
      // Drains the header only.
    }
    this.header = header;
    return header;
  }

  private async loadOffsets(): Promise<{ list: OffsetList; source: 'index' | 'scan' }> {
    if (this.offsets) return this.offsets;
    const { size } = await stat(this.path);
    const at = await trailingOffset(this.path, size, 'indexOffset');
    if (at !== undefined && at < size) {
      const text = (await readRange(this.path, at, size - at)).toString('latin1');
      const list = text.trimStart().startsWith('<index') ? parseIndexList(text, 'id').get('scan') : undefined;
      if (list) this.offsets = { list, source: 'index' };
    }
    this.offsets ??= await this.scan();
    return this.offsets;
  }

  private async scan(): Promise<{ list: OffsetList; source: 'scan' }> {
    const lists = await scanOffsets(this.path, ['scan'], 'num');
    return { list: lists.get('scan') ?? { ids: [], offsets: [], byId: new Map() }, source: 'scan' };
  }
}
