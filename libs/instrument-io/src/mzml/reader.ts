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
import { MzmlHandler, type HandlerOptions, type MzmlHeader, type MzmlItem } from './handler.js';

interface Offsets {
  spectra: OffsetList;
  chromatograms: OffsetList;
  /** Where the offsets came from: the file's own index, or a scan of the file. */
  source: 'index' | 'scan';
}

const MAX_ELEMENT = 1 << 30;
const MAX_INDEX = 1 << 28;

/** mzML 1.0/1.1 and indexedmzML: streaming iteration plus random access through the offset index. */
export class MzmlReader implements InstrumentReader {
  private header: MzmlHeader | undefined;
  private offsets: Offsets | undefined;
  private indexed: boolean | undefined;

  constructor(readonly path: string) {}

  async *spectra(): AsyncIterableIterator<Spectrum> {
    for await (const item of this.items({ spectra: true, chromatograms: false })) {
      if (item.kind === 'spectrum') yield item.spectrum;
    }
  }

  /** Spectra without their arrays decoded: for counts and summaries. */
  async *spectrumHeaders(): AsyncIterableIterator<Spectrum> {
    for await (const item of this.items({ spectra: false, chromatograms: false })) {
      if (item.kind === 'spectrum') yield item.spectrum;
    }
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    for await (const item of this.items({ spectra: false, chromatograms: true })) {
      if (item.kind === 'chromatogram') yield item.chromatogram;
    }
  }

  async run(): Promise<Run> {
    const header = await this.loadHeader();
    const offsets = await this.loadOffsets();
    return {
      format: this.indexed ? 'indexedmzML' : 'mzML',
      instrument: header.instrument,
      started: header.started,
      spectrumCount: offsets.spectra.ids.length,
      chromatogramCount: offsets.chromatograms.ids.length,
      metadata: { ...header.metadata, offsets_from: offsets.source },
    };
  }

  /** One spectrum by its id or its 0-based position, read through the offset index. */
  async get(idOrIndex: string | number): Promise<Spectrum> {
    const offsets = await this.loadOffsets();
    const found = await this.readAt(offsets, idOrIndex);
    if (found) return found;
    if (offsets.source === 'index') {
      // The file's index points at the wrong bytes: rebuild the offsets from a scan and retry once.
      this.offsets = await this.scan();
      const retried = await this.readAt(this.offsets, idOrIndex);
      if (retried) return retried;
    }
    throw new InstrumentFileError(this.path, undefined, `a spectrum with ${describe(idOrIndex)}`);
  }

  private async readAt(offsets: Offsets, idOrIndex: string | number): Promise<Spectrum | undefined> {
    const list = offsets.spectra;
    const position = typeof idOrIndex === 'number' ? idOrIndex : list.byId.get(idOrIndex);
    if (position === undefined || position < 0 || position >= list.ids.length) return undefined;
    const offset = list.offsets[position] ?? 0;
    const xml = await readElement(this.path, offset, '</spectrum>', MAX_ELEMENT);
    const head = xml?.subarray(0, 4096).toString('utf8');
    const tagEnd = head?.indexOf('>') ?? -1;
    if (!head?.startsWith('<spectrum') || !head.slice(0, tagEnd).includes(`id="${escapeAttr(list.ids[position] ?? '')}"`)) {
      return undefined;
    }
    const header = await this.loadHeader();
    const handler = new MzmlHandler(this.path, header, { spectra: true, chromatograms: false });
    const items = parseFragment(this.path, offset, xml ?? Buffer.alloc(0), handler);
    const item = items[0];
    return item?.kind === 'spectrum' ? item.spectrum : undefined;
  }

  private items(opts: HandlerOptions): AsyncGenerator<MzmlItem> {
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    return streamXml(this.path, new MzmlHandler(this.path, header, opts));
  }

  private async loadHeader(): Promise<MzmlHeader> {
    if (this.header) return this.header;
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    const handler = new MzmlHandler(this.path, header, { spectra: false, chromatograms: false });
    const stream = streamXml(this.path, handler, { done: () => handler.reachedData });
    while (!(await stream.next()).done) {
      // Drains the header; the stream stops at the first chunk holding a spectrum.
    }
    this.header = header;
    return header;
  }

  private async loadOffsets(): Promise<Offsets> {
    if (this.offsets) return this.offsets;
    this.offsets = (await this.readIndex()) ?? (await this.scan());
    return this.offsets;
  }

  private async readIndex(): Promise<Offsets | undefined> {
    const { size } = await stat(this.path);
    const head = (await readRange(this.path, 0, 512)).toString('latin1');
    this.indexed = head.includes('<indexedmzML');
    const at = await trailingOffset(this.path, size, 'indexListOffset');
    if (at === undefined || at >= size || size - at > MAX_INDEX) return undefined;
    const text = (await readRange(this.path, at, size - at)).toString('latin1');
    if (!text.trimStart().startsWith('<indexList')) return undefined;
    const lists = parseIndexList(text, 'idRef');
    const spectra = lists.get('spectrum');
    if (!spectra) return undefined;
    return { spectra, chromatograms: lists.get('chromatogram') ?? emptyList(), source: 'index' };
  }

  private async scan(): Promise<Offsets> {
    const lists = await scanOffsets(this.path, ['spectrum', 'chromatogram'], 'id');
    return {
      spectra: lists.get('spectrum') ?? emptyList(),
      chromatograms: lists.get('chromatogram') ?? emptyList(),
      source: 'scan',
    };
  }
}

function emptyList(): OffsetList {
  return { ids: [], offsets: [], byId: new Map() };
}

function describe(idOrIndex: string | number): string {
  return typeof idOrIndex === 'number' ? `index ${String(idOrIndex)}` : `id "${idOrIndex}"`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
