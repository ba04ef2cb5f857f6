import { inflateSync } from 'node:zlib';
import { decodeLinear, decodePic, decodeSlof } from './numpress.js';

type NumberType = 'float32' | 'float64' | 'int32' | 'int64';
type Numpress = 'linear' | 'pic' | 'slof';

export interface ArrayEncoding {
  type: NumberType;
  zlib: boolean;
  numpress?: Numpress;
  littleEndian: boolean;
}

const BYTES: Record<NumberType, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

/** Base64 to bytes; Buffer silently skips bad characters, so a length check catches them and truncation. */
export function decodeBase64(text: string): Buffer {
  let clean = text.trim();
  let bytes = Buffer.from(clean, 'base64');
  if (bytes.length !== expectedLength(clean)) {
    clean = clean.replace(/\s+/g, '');
    bytes = Buffer.from(clean, 'base64');
    if (clean.length % 4 === 1 || bytes.length !== expectedLength(clean)) {
      throw new Error('valid base64 text');
    }
  }
  return bytes;
}

function expectedLength(b64: string): number {
  let pad = 0;
  if (b64.endsWith('==')) pad = 2;
  else if (b64.endsWith('=')) pad = 1;
  return Math.floor(((b64.length - pad) * 3) / 4);
}

/**
 * Decodes one encoded array (base64 already removed) into float64 values. `length`, when known, is
 * checked so that a truncated or padded array is an error rather than silently short data.
 */
export function decodeArray(bytes: Uint8Array, encoding: ArrayEncoding, length?: number): Float64Array {
  let raw: Uint8Array = bytes;
  if (encoding.zlib && bytes.length > 0) {
    try {
      raw = inflateSync(bytes);
    } catch (cause) {
      throw new Error(`zlib stream (${(cause as Error).message})`, { cause });
    }
  }
  let values: Float64Array;
  if (encoding.numpress === 'linear') values = decodeLinear(raw);
  else if (encoding.numpress === 'pic') values = decodePic(raw);
  else if (encoding.numpress === 'slof') values = decodeSlof(raw);
  else values = decodeNumbers(raw, encoding.type, encoding.littleEndian);
  if (length !== undefined && values.length !== length) {
    throw new Error(`${String(length)} values, found ${String(values.length)}`);
  }
  return values;
}

function decodeNumbers(raw: Uint8Array, type: NumberType, littleEndian: boolean): Float64Array {
  const size = BYTES[type];
  if (raw.length % size !== 0) throw new Error(`a multiple of ${String(size)} bytes, found ${String(raw.length)}`);
  const count = raw.length / size;
  if (littleEndian && HOST_LITTLE_ENDIAN && (type === 'float64' || type === 'float32')) {
    // Copy into an aligned buffer, then view it: far faster than a DataView loop.
    const aligned = new Uint8Array(raw.length);
    aligned.set(raw);
    return type === 'float64' ? new Float64Array(aligned.buffer) : Float64Array.from(new Float32Array(aligned.buffer));
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = readNumber(view, i * size, type, littleEndian);
  return out;
}

function readNumber(view: DataView, at: number, type: NumberType, le: boolean): number {
  switch (type) {
    case 'float64':
      return view.getFloat64(at, le);
    case 'float32':
      return view.getFloat32(at, le);
    case 'int32':
      return view.getInt32(at, le);
    case 'int64':
      return Number(view.getBigInt64(at, le));
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
