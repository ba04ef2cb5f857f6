import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/** Byte offsets of the elements of one kind (spectrum, chromatogram, scan), in file order. */
export interface OffsetList {
  ids: string[];
  offsets: number[];
  byId: Map<string, number>;
}

function offsetList(entries: Array<[string, number]>): OffsetList {
  const ids = entries.map(([id]) => id);
  return { ids, offsets: entries.map(([, o]) => o), byId: new Map(ids.map((id, i) => [id, i])) };
}

export async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The offset in a trailing `<indexListOffset>` (mzML) or `<indexOffset>` (mzXML) element. */
export async function trailingOffset(file: string, size: number, tag: string): Promise<number | undefined> {
  const tailLength = Math.min(size, 4096);
  const tail = (await readRange(file, size - tailLength, tailLength)).toString('latin1');
  const m = new RegExp(`<${tag}>\\s*(\\d+)\\s*</${tag}>`).exec(tail);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Parses the `<index name="...">` blocks of an index list into offset lists; `idAttr` is `idRef`
 * (mzML) or `id` (mzXML).
 */
export function parseIndexList(text: string, idAttr: string): Map<string, OffsetList> {
  const lists = new Map<string, OffsetList>();
  const block = /<index\s+name="([^"]+)"\s*>([\s\S]*?)<\/index>/g;
  const entry = new RegExp(`<offset\\s+[^>]*?\\b${idAttr}="([^"]*)"[^>]*>\\s*(\\d+)\\s*</offset>`, 'g');
  for (const b of text.matchAll(block)) {
    const entries: Array<[string, number]> = [];
    for (const e of (b[2] ?? '').matchAll(entry)) entries.push([unescapeXml(e[1] ?? ''), Number(e[2])]);
    lists.set(b[1] ?? '', offsetList(entries));
  }
  return lists;
}

/** Finds every `<tag ` start in the file by a byte scan: the fallback when an index is missing or wrong. */
export async function scanOffsets(file: string, tags: string[], idAttr: string): Promise<Map<string, OffsetList>> {
  const found = new Map<string, Array<[string, number]>>(tags.map((t) => [t, []]));
  const needles = tags.map((t) => ({ tag: t, bytes: Buffer.from(`<${t}`, 'latin1') }));
  const idPattern = new RegExp(`\\s${idAttr}="([^"]*)"`);
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let keepFrom = Math.max(0, buf.length - 64);
    for (const { tag, bytes } of needles) {
      let at = buf.indexOf(bytes);
      while (at >= 0) {
        const next = buf[at + bytes.length];
        if (next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) {
          const end = buf.indexOf(0x3e, at);
          if (end < 0) {
            keepFrom = Math.min(keepFrom, at);
            break;
          }
          const id = idPattern.exec(buf.subarray(at, end).toString('latin1'))?.[1] ?? '';
          const list = found.get(tag) ?? [];
          // Matches inside the carried-over bytes were recorded by the previous chunk.
          if (carryStart + at > (list.at(-1)?.[1] ?? -1)) list.push([unescapeXml(id), carryStart + at]);
        }
        at = buf.indexOf(bytes, at + 1);
      }
    }
    carry = buf.subarray(keepFrom);
    carryStart += keepFrom;
  }
  return new Map([...found].map(([tag, entries]) => [tag, offsetList(entries)]));
}

/** Reads from `offset` (skipping leading whitespace) up to and including `stop`, in growing chunks. */
export async function readElement(file: string, offset: number, stop: string, maxBytes: number): Promise<Buffer | undefined> {
  const handle = await open(file, 'r');
  try {
    const parts: Buffer[] = [];
    let total = 0;
    const needle = Buffer.from(stop, 'latin1');
    let chunkSize = 64 * 1024;
    let previous: Buffer = Buffer.alloc(0);
    while (total < maxBytes) {
      const buf = Buffer.alloc(chunkSize);
      const { bytesRead } = await handle.read(buf, 0, chunkSize, offset + total);
      if (bytesRead === 0) return undefined;
      const piece = buf.subarray(0, bytesRead);
      const joined = Buffer.concat([previous.subarray(Math.max(0, previous.length - needle.length)), piece]);
      const hit = joined.indexOf(needle);
      if (hit >= 0) {
        const cut = hit + needle.length - Math.min(previous.length, needle.length);
        parts.push(piece.subarray(0, cut));
        const element = Buffer.concat(parts);
        // Some writers' offsets point at the whitespace before the element.
        const lt = element.indexOf(0x3c);
        return lt > 0 ? element.subarray(lt) : element;
      }
      parts.push(piece);
      previous = piece;
      total += bytesRead;
      chunkSize = Math.min(chunkSize * 2, 16 << 20);
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
