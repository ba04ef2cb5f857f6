import { InstrumentFileError } from '../errors.js';
import type { Params } from '../types.js';

/** Bounds-checked big/little-endian reads that name the file and offset when the file is short. */
export class BinaryFile {
  readonly view: DataView;

  constructor(
    readonly path: string,
    readonly bytes: Buffer,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  need(offset: number, length: number, what: string): void {
    if (offset < 0 || offset + length > this.bytes.length) {
      throw new InstrumentFileError(this.path, offset, `${what} (${String(length)} bytes; the file has ${String(this.bytes.length)})`);
    }
  }

  u8(at: number, what = 'a byte'): number {
    this.need(at, 1, what);
    return this.view.getUint8(at);
  }
  u16be(at: number, what = 'a 16-bit integer'): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, false);
  }
  i16be(at: number, what = 'a 16-bit integer'): number {
    this.need(at, 2, what);
    return this.view.getInt16(at, false);
  }
  u16le(at: number, what = 'a 16-bit integer'): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, true);
  }
  i16le(at: number, what = 'a 16-bit integer'): number {
    this.need(at, 2, what);
    return this.view.getInt16(at, true);
  }
  u32be(at: number, what = 'a 32-bit integer'): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, false);
  }
  i32be(at: number, what = 'a 32-bit integer'): number {
    this.need(at, 4, what);
    return this.view.getInt32(at, false);
  }
  u32le(at: number, what = 'a 32-bit integer'): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, true);
  }
  i32le(at: number, what = 'a 32-bit integer'): number {
    this.need(at, 4, what);
    return this.view.getInt32(at, true);
  }
  f32be(at: number, what = 'a float'): number {
    this.need(at, 4, what);
    return this.view.getFloat32(at, false);
  }
  f64be(at: number, what = 'a double'): number {
    this.need(at, 8, what);
    return this.view.getFloat64(at, false);
  }
  f64le(at: number, what = 'a double'): number {
    this.need(at, 8, what);
    return this.view.getFloat64(at, true);
  }

  /**
   * A length-prefixed header string: one length byte, then characters every `gap` bytes (gap 2 is
   * the UTF-16LE of the newer file versions). Empty when absent.
   */
  text(at: number, gap: 1 | 2): string {
    if (at >= this.bytes.length) return '';
    const length = this.bytes[at] ?? 0;
    const end = Math.min(this.bytes.length, at + 1 + length * gap);
    const chars: number[] = [];
    for (let i = at + 1; i < end; i += gap) chars.push(this.bytes[i] ?? 0);
    return Buffer.from(chars).toString('latin1').trim();
  }

  /** The version string at the start of every ChemStation file ("30", "130", "179", ...). */
  version(): string {
    return this.text(0, 1);
  }

  metadata(offsets: Record<string, number>, gap: 1 | 2): Params {
    const out: Params = {};
    for (const [key, at] of Object.entries(offsets)) {
      const value = this.text(at, gap);
      if (value) out[key] = value;
    }
    return out;
  }
}

/** Times spread evenly from the first to the last, as ChemStation stores only the range. */
export function evenTimes(start: number, end: number, count: number): Float64Array {
  const step = count > 1 ? (end - start) / (count - 1) : 0;
  return Float64Array.from({ length: count }, (_, i) => start + i * step);
}
