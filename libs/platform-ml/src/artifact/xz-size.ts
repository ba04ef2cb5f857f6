import { ArtifactError } from '../errors.js';

const STREAM_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const STREAM_PADDING = new Uint8Array(4);
const LZMA2_FILTER = 0x21;
/** Bytes of the integrity check after each block, by the check type in the stream flags. */
const CHECK_BYTES = new Map([
  [0x00, 0],
  [0x01, 4],
  [0x04, 8],
  [0x0a, 32],
]);

const notXz = (why: string) => new ArtifactError('not-xz', `not a supported .xz file: ${why}`);

/** A cursor over the xz bytes that throws `not-xz` on any read past the end. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    const value = this.bytes[this.at];
    if (value === undefined) throw notXz('truncated');
    this.at += 1;
    return value;
  }

  skip(count: number): void {
    if (this.at + count > this.bytes.length) throw notXz('truncated');
    this.at += count;
  }

  /** The xz multibyte integer (7 bits a byte, at most 9 bytes). */
  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw notXz('bad integer');
  }

  matches(expected: Uint8Array): boolean {
    return expected.every((value, index) => this.bytes[this.at + index] === value);
  }
}

/** Walks one block's LZMA2 chunks, summing the uncompressed size each chunk header declares. */
function lzma2Size(reader: Reader): number {
  let total = 0;
  for (;;) {
    const control = reader.byte();
    if (control === 0x00) return total;
    if (control === 0x01 || control === 0x02) {
      const size = reader.byte() * 256 + reader.byte() + 1;
      reader.skip(size);
      total += size;
    } else if (control >= 0x80) {
      total += (control & 0x1f) * 65536 + reader.byte() * 256 + reader.byte() + 1;
      const packed = reader.byte() * 256 + reader.byte() + 1;
      reader.skip(packed + (control >= 0xc0 ? 1 : 0));
    } else {
      throw notXz('bad LZMA2 chunk');
    }
  }
}

/** Reads a block header; only a single LZMA2 filter is accepted (what xz and lzma-rs write by default). */
function readBlockHeader(reader: Reader, headerSizeByte: number): void {
  const end = reader.at - 1 + (headerSizeByte + 1) * 4;
  const flags = reader.byte();
  if ((flags & 0x03) !== 0 || (flags & 0x3c) !== 0) throw notXz('only one LZMA2 filter is supported');
  if (flags & 0x40) reader.varint();
  if (flags & 0x80) reader.varint();
  if (reader.varint() !== LZMA2_FILTER) throw notXz('only the LZMA2 filter is supported');
  reader.skip(reader.varint());
  if (reader.at > end - 4) throw notXz('bad block header');
  reader.at = end;
}

function readStream(reader: Reader): number {
  if (!reader.matches(STREAM_MAGIC)) throw notXz('no stream header');
  reader.skip(STREAM_MAGIC.length);
  reader.byte();
  const checkBytes = CHECK_BYTES.get(reader.byte());
  if (checkBytes === undefined) throw notXz('unknown check type');
  reader.skip(4);
  let total = 0;
  for (;;) {
    const headerSize = reader.byte();
    if (headerSize === 0x00) break;
    readBlockHeader(reader, headerSize);
    const start = reader.at;
    total += lzma2Size(reader);
    reader.skip(((4 - ((reader.at - start) % 4)) % 4) + checkBytes);
  }
  // The index: record count, then (unpadded, uncompressed) pairs; padding, CRC32, then the 12-byte footer.
  const records = reader.varint();
  for (let index = 0; index < records; index++) {
    reader.varint();
    reader.varint();
  }
  while (reader.at % 4 !== 0) reader.byte();
  reader.skip(4 + 12);
  return total;
}

/**
 * The decompressed size of an .xz file, read from its LZMA2 chunk headers without decompressing: each
 * chunk states how many bytes it decodes to and the decoder must produce exactly that many, so unlike
 * the index this cannot understate the size. Concatenated streams and stream padding are summed.
 */
export function xzDecompressedSize(bytes: Uint8Array): number {
  const reader = new Reader(bytes);
  let total = 0;
  while (!reader.done) {
    if (reader.matches(STREAM_PADDING)) {
      reader.skip(4);
      continue;
    }
    total += readStream(reader);
  }
  return total;
}
