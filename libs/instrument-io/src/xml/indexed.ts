import { stat } from 'node:fs/promises';
import { parseIndexList, readElement, readRange, scanOffsets, trailingOffset, type OffsetList } from './offsets.js';

/** How a format writes its offset index (indexedmzML, mzXML) and names its elements. */
export interface IndexSpec {
  /** The trailing element holding the index's byte offset. */
  offsetTag: 'indexListOffset' | 'indexOffset';
  /** The element the offset must point at. */
  listTag: 'indexList' | 'index';
  /** The attribute of `<offset>` naming the element: idRef (mzML), id (mzXML). */
  entryIdAttr: string;
  /** Indexed element names (also the index names): spectrum, chromatogram / scan. */
  kinds: string[];
  /** The attribute carrying an element's id in the data: id (mzML), num (mzXML). */
  elementIdAttr: string;
}

export interface Offsets {
  lists: Map<string, OffsetList>;
  /** The file's own index, or a scan of the file when that is missing or wrong. */
  source: 'index' | 'scan';
}

const MAX_INDEX = 1 << 28;
const MAX_ELEMENT = 1 << 30;
const EMPTY: OffsetList = { ids: [], offsets: [], byId: new Map() };

/** Random access through a file's offset index, falling back to a byte scan when it is wrong. */
export class OffsetIndex {
  private offsets: Offsets | undefined;

  constructor(
    private readonly path: string,
    private readonly spec: IndexSpec,
  ) {}

  async load(): Promise<Offsets> {
    this.offsets ??= (await this.readIndex()) ?? (await this.scan());
    return this.offsets;
  }

  /** Replaces the file's index by a scan (when the caller finds it incomplete). */
  async rescan(): Promise<Offsets> {
    this.offsets = await this.scan();
    return this.offsets;
  }

  async list(kind: string): Promise<OffsetList> {
    return (await this.load()).lists.get(kind) ?? EMPTY;
  }

  /**
   * The bytes of one element, from its start tag up to `stop`, by id or 0-based position. When the
   * file's index points elsewhere than at that element, the offsets are rebuilt by a scan, once.
   */
  async element(
    kind: string,
    idOrIndex: string | number,
    stop: string,
  ): Promise<{ bytes: Buffer; offset: number; position: number } | undefined> {
    const found = await this.readAt(await this.load(), kind, idOrIndex, stop);
    if (found || this.offsets?.source !== 'index') return found;
    this.offsets = await this.scan();
    return this.readAt(this.offsets, kind, idOrIndex, stop);
  }

  private async readAt(offsets: Offsets, kind: string, idOrIndex: string | number, stop: string) {
    const list = offsets.lists.get(kind) ?? EMPTY;
    const position = typeof idOrIndex === 'number' ? idOrIndex : list.byId.get(idOrIndex);
    if (position === undefined || position < 0 || position >= list.ids.length) return undefined;
    const offset = list.offsets[position] ?? 0;
    const bytes = await readElement(this.path, offset, stop, MAX_ELEMENT);
    const head = bytes?.subarray(0, 4096).toString('utf8') ?? '';
    const startTag = head.slice(0, head.indexOf('>'));
    const id = `${this.spec.elementIdAttr}="${escapeAttr(list.ids[position] ?? '')}"`;
    if (!bytes || !new RegExp(`^<${kind}\\s`).test(startTag) || !startTag.includes(id)) return undefined;
    return { bytes, offset, position };
  }

  private async readIndex(): Promise<Offsets | undefined> {
    const { size } = await stat(this.path);
    const at = await trailingOffset(this.path, size, this.spec.offsetTag);
    if (at === undefined || at >= size || size - at > MAX_INDEX) return undefined;
    const text = (await readRange(this.path, at, size - at)).toString('latin1');
    if (!text.trimStart().startsWith(`<${this.spec.listTag}`)) return undefined;
    const lists = parseIndexList(text, this.spec.entryIdAttr);
    return lists.has(this.spec.kinds[0] ?? '') ? { lists, source: 'index' } : undefined;
  }

  private async scan(): Promise<Offsets> {
    return { lists: await scanOffsets(this.path, this.spec.kinds, this.spec.elementIdAttr), source: 'scan' };
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
