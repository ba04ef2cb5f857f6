/**
 * MS-Numpress decoders (linear prediction, positive integer, short logged float), following the
 * reference implementation (ms-numpress MSNumpress.cpp, Teleman et al. 2014). No npm package
 * implements them. Each throws a plain Error on corrupt input; callers add the file and offset.
 */

/** The fixed point is an IEEE double stored big-endian in the first 8 bytes. */
function fixedPoint(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, 8).getFloat64(0, false);
}

/** Reads one half-byte-packed integer; `state` carries the byte index and the half-byte flag. */
function decodeInt(data: Uint8Array, state: { di: number; half: number }): number {
  const end = data.length;
  const nextHalf = (): number => {
    const byte = data[state.di] ?? 0;
    let value: number;
    if (state.half === 0) {
      value = byte >> 4;
    } else {
      value = byte & 0xf;
      state.di++;
    }
    state.half = 1 - state.half;
    return value;
  };
  const head = nextHalf();
  let n: number;
  let res = 0;
  if (head <= 8) {
    n = head;
  } else {
    n = head - 8;
    for (let i = 0; i < n; i++) res |= 0xf0000000 >>> (4 * i);
  }
  if (n === 8) return res >>> 0;
  if (state.di + Math.floor((8 - n - (1 - state.half)) / 2) >= end) throw new Error('corrupt numpress integer stream');
  for (let i = n; i < 8; i++) res |= nextHalf() << ((i - n) * 4);
  return res >>> 0;
}

function ended(data: Uint8Array, state: { di: number; half: number }): boolean {
  // An odd count of half-bytes leaves a zero half-byte of padding in the last byte.
  return state.di === data.length - 1 && state.half === 1 && ((data[state.di] ?? 0) & 0xf) === 0;
}

export function decodeLinear(data: Uint8Array): Float64Array {
  if (data.length === 8) return new Float64Array(0);
  if (data.length < 8) throw new Error('numpress linear: no fixed point');
  const fp = fixedPoint(data);
  if (data.length < 12) throw new Error('numpress linear: first value missing');
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const out: number[] = [];
  let prev = view.getUint32(8, true);
  out.push(prev / fp);
  if (data.length === 12) return Float64Array.from(out);
  if (data.length < 16) throw new Error('numpress linear: second value missing');
  let curr = view.getUint32(12, true);
  out.push(curr / fp);
  const state = { di: 16, half: 0 };
  while (state.di < data.length) {
    if (ended(data, state)) break;
    const diff = decodeInt(data, state) | 0;
    const y = curr + (curr - prev) + diff;
    out.push(y / fp);
    prev = curr;
    curr = y;
  }
  return Float64Array.from(out);
}

export function decodePic(data: Uint8Array): Float64Array {
  const out: number[] = [];
  const state = { di: 0, half: 0 };
  while (state.di < data.length) {
    if (ended(data, state)) break;
    out.push(decodeInt(data, state));
  }
  return Float64Array.from(out);
}

export function decodeSlof(data: Uint8Array): Float64Array {
  if (data.length < 8) throw new Error('numpress slof: no fixed point');
  if ((data.length - 8) % 2 !== 0) throw new Error('numpress slof: odd byte count');
  const fp = fixedPoint(data);
  const out = new Float64Array((data.length - 8) / 2);
  for (let i = 8, r = 0; i < data.length; i += 2, r++) {
    out[r] = Math.exp(((data[i] ?? 0) | ((data[i + 1] ?? 0) << 8)) / fp) - 1;
  }
  return out;
}
