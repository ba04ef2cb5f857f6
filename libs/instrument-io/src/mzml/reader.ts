import { InstrumentFileError } from '../errors.js';
import { count } from '../iterate.js';
import type { Chromatogram, InstrumentReader, Run, Spectrum } from '../types.js';
import { OffsetIndex } from '../xml/indexed.js';
import { readRange } from '../xml/offsets.js';
import { parseFragment, streamXml } from '../xml/stream.js';
import { MzmlHandler, type HandlerOptions, type MzmlHeader, type MzmlItem } from './handler.js';

/** mzML 1.0/1.1 and indexedmzML: streaming iteration plus random access through the offset index. */
export class MzmlReader implements InstrumentReader {
  private header: MzmlHeader | undefined;
  private readonly index: OffsetIndex;

  constructor(readonly path: string) {
    this.index = new OffsetIndex(path, {
      offsetTag: 'indexListOffset',
      listTag: 'indexList',
      entryIdAttr: 'idRef',
      kinds: ['spectrum', 'chromatogram'],
      elementIdAttr: 'id',
    });
  }

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
    let offsets = await this.index.load();
    // An index that lists fewer spectra than the file declares is incomplete: count by a scan.
    const declared = header.spectrumCount;
    if (offsets.source === 'index' && declared !== undefined && declared !== (await this.index.list('spectrum')).ids.length) {
      offsets = await this.index.rescan();
    }
    const indexed = (await readRange(this.path, 0, 512)).toString('latin1').includes('<indexedmzML');
    return {
      format: indexed ? 'indexedmzML' : 'mzML',
      instrument: header.instrument,
      started: header.started,
      spectrumCount: (await this.index.list('spectrum')).ids.length,
      chromatogramCount: (await this.index.list('chromatogram')).ids.length,
      metadata: { ...header.metadata, offsets_from: offsets.source },
    };
  }

  /** One spectrum by its id or its 0-based position, read through the offset index. */
  async get(idOrIndex: string | number): Promise<Spectrum> {
    const element = await this.index.element('spectrum', idOrIndex, '</spectrum>');
    if (element) {
      const handler = new MzmlHandler(this.path, await this.loadHeader(), { spectra: true, chromatograms: false });
      const [item] = parseFragment(this.path, element.offset, element.bytes, handler);
      if (item?.kind === 'spectrum') return item.spectrum;
    }
    const what = typeof idOrIndex === 'number' ? `index ${String(idOrIndex)}` : `id "${idOrIndex}"`;
    throw new InstrumentFileError(this.path, undefined, `a spectrum with ${what}`);
  }

  private items(opts: HandlerOptions): AsyncGenerator<MzmlItem> {
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    return streamXml(this.path, new MzmlHandler(this.path, header, opts));
  }

  /** The metadata before the first spectrum (param groups, instrument, run): read once. */
  private async loadHeader(): Promise<MzmlHeader> {
    if (this.header) return this.header;
    const header: MzmlHeader = { groups: new Map(), metadata: {} };
    const handler = new MzmlHandler(this.path, header, { spectra: false, chromatograms: false });
    await count(streamXml(this.path, handler, { done: () => handler.reachedData }));
    this.header = header;
    return header;
  }
}
