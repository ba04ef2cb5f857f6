import { InstrumentFileError } from '../errors.js';
import { count } from '../iterate.js';
import type { Chromatogram, InstrumentReader, Run, Spectrum } from '../types.js';
import { OffsetIndex } from '../xml/indexed.js';
import { parseFragment, streamXml } from '../xml/stream.js';
import { MzxmlHandler, type MzxmlHeader } from './handler.js';

/** mzXML 2.x/3.x: streaming iteration of all MS levels and random access by scan number or index. */
export class MzxmlReader implements InstrumentReader {
  private header: MzxmlHeader | undefined;
  private readonly index: OffsetIndex;

  constructor(readonly path: string) {
    this.index = new OffsetIndex(path, {
      offsetTag: 'indexOffset',
      listTag: 'index',
      entryIdAttr: 'id',
      kinds: ['scan'],
      elementIdAttr: 'num',
    });
  }

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
    const offsets = await this.index.load();
    return {
      format: 'mzXML',
      instrument: header.instrument,
      started: undefined,
      spectrumCount: (await this.index.list('scan')).ids.length,
      chromatogramCount: 0,
      metadata: { ...header.metadata, offsets_from: offsets.source },
    };
  }

  /** One scan by its scan number (`num`) or 0-based position. */
  async get(idOrIndex: string | number): Promise<Spectrum> {
    // A scan's own data ends with its peaks; nested MS2 scans follow, so the fragment is closed here.
    const element = await this.index.element('scan', idOrIndex, '</peaks>');
    if (element) {
      const handler = new MzxmlHandler(this.path, { metadata: {} }, true);
      const bytes = Buffer.concat([element.bytes, Buffer.from('</scan>')]);
      const [spectrum] = parseFragment(this.path, element.offset, bytes, handler);
      if (spectrum) return { ...spectrum, index: element.position };
    }
    const what = typeof idOrIndex === 'number' ? `index ${String(idOrIndex)}` : `num ${idOrIndex}`;
    throw new InstrumentFileError(this.path, undefined, `a scan with ${what}`);
  }

  private async loadHeader(): Promise<MzxmlHeader> {
    if (this.header) return this.header;
    const header: MzxmlHeader = { metadata: {} };
    const handler = new MzxmlHandler(this.path, header, false);
    await count(streamXml(this.path, handler, { done: () => handler.reachedData }));
    this.header = header;
    return header;
  }
}
