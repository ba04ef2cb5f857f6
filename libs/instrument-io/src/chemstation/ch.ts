import { InstrumentFileError } from '../errors.js';
import type { Chromatogram } from '../types.js';
import { BinaryFile, evenTimes } from './header.js';

export type Detector = 'UV' | 'FID' | 'ELSD' | 'CAD' | 'MS' | undefined;

export interface ChTrace {
  version: string;
  detector: Detector;
  trace: Chromatogram;
}

const NEW_METADATA = { notebook: 0x35a, date: 0x957, method: 0xa0e, instrument: 0xc11, unit: 0x104c, signal: 0x1075 };
const FID181_METADATA = { notebook: 0x35a, date: 0x957, method: 0xa0e, instrument: 0xc11, unit: 0x104c };
const OLD_METADATA = { notebook: 0x18, date: 0xb2, method: 0xe4, instrument: 0xda, unit: 0x244, signal: 0x254 };

/**
 * Single-channel .ch files (UV/DAD signal, FID, ELSD, CAD): versions 30 and 130 (delta-encoded
 * integers), 81 and 181 (double-delta), 179 (raw doubles). Times are in minutes.
 */
export function parseCh(file: BinaryFile): ChTrace {
  const version = file.version();
  switch (version) {
    case '30':
      return deltaTrace(file, version, { timeRange: 0x11a, scale: 0x284, start: 0x400 }, OLD_METADATA, 1);
    case '130':
      return deltaTrace(file, version, { timeRange: 0x11a, scale: 0x127c, start: 0x1800 }, NEW_METADATA, 2);
    case '179':
    case '181':
      return fidTrace(file, version);
    case '81':
      return fid81(file);
    default:
      throw new InstrumentFileError(file.path, 0, `a ChemStation .ch version 30, 81, 130, 179 or 181, found "${version}"`);
  }
}

function deltaTrace(
  file: BinaryFile,
  version: string,
  at: { timeRange: number; scale: number; start: number },
  metaOffsets: Record<string, number>,
  gap: 1 | 2,
): ChTrace {
  const values = decodeSegments(file, at.start);
  if (values.length === 0) throw new InstrumentFileError(file.path, at.start, 'delta-encoded data segments (0x10 headers)');
  const scale = file.f64be(at.scale, 'the scaling factor');
  const start = file.i32be(at.timeRange, 'the time range') / 60000;
  const end = file.i32be(at.timeRange + 4, 'the time range') / 60000;
  const metadata = file.metadata(metaOffsets, gap);
  const signal = String(metadata.signal ?? '');
  let detector: Detector;
  let wavelength: number | undefined;
  if (signal.includes('=')) {
    detector = 'UV';
    wavelength = Number(signal.split('=')[1]?.split(',')[0]);
  } else if (signal.includes('ADC')) {
    detector = signal.includes('CHANNEL') ? 'ELSD' : 'CAD';
  }
  const trace: Chromatogram = {
    id: signal || `ch${version}`,
    time: evenTimes(start, end, values.length),
    intensity: Float64Array.from(values, (v) => v * scale),
    unit: 'minute',
    params: { ...metadata, version },
  };
  if (wavelength !== undefined && Number.isFinite(wavelength)) trace.wavelengthNm = wavelength;
  return { version, detector, trace };
}

/** Segments of `0x10, count` followed by big-endian deltas; -32768 escapes a 32-bit absolute value. */
function decodeSegments(file: BinaryFile, offset: number): number[] {
  const out: number[] = [];
  let at = offset;
  let accum = 0;
  while (at < file.bytes.length && file.bytes[at] === 0x10) {
    const count = file.u8(at + 1, 'a segment length');
    at += 2;
    for (let i = 0; i < count; i++) {
      const delta = file.i16be(at, 'a delta value');
      at += 2;
      if (delta === -0x8000) {
        accum = file.i32be(at, 'an absolute value');
        at += 4;
      } else {
        accum += delta;
      }
      out.push(accum);
    }
  }
  return out;
}

function fidTrace(file: BinaryFile, version: string): ChTrace {
  const dataStart = 0x1800;
  if (file.bytes.length < dataStart)
    throw new InstrumentFileError(file.path, file.bytes.length, `a ${version} header of ${String(dataStart)} bytes`);
  const raw = version === '181' ? doubleDelta(file, dataStart) : doubles(file, dataStart);
  const scale = file.f64be(0x127c, 'the scaling factor');
  const start = file.f32be(0x11a, 'the start time') / 60000;
  const end = file.f32be(0x11e, 'the end time') / 60000;
  const metadata = file.metadata(version === '181' ? FID181_METADATA : NEW_METADATA, 2);
  return {
    version,
    detector: 'FID',
    trace: {
      id: String(metadata.signal ?? 'FID'),
      time: evenTimes(start, end, raw.length),
      intensity: Float64Array.from(raw, (v) => v * scale),
      unit: 'minute',
      params: { ...metadata, version },
    },
  };
}

function doubles(file: BinaryFile, offset: number): number[] {
  const count = Math.floor((file.bytes.length - offset) / 8);
  return Array.from({ length: count }, (_, i) => file.f64le(offset + i * 8));
}

/** Version 181: second differences; 0x7fff escapes a 48-bit absolute value (16 high + 32 low bits). */
function doubleDelta(file: BinaryFile, offset: number): number[] {
  const out: number[] = [];
  let value = 0;
  let delta = 0;
  let at = offset;
  while (at + 2 <= file.bytes.length) {
    const d = file.i16be(at);
    at += 2;
    if (d === 0x7fff) {
      value = file.i16be(at, 'the high word of an absolute value') * 2 ** 32 + file.u32be(at + 2, 'an absolute value');
      at += 6;
      delta = 0;
    } else {
      delta += d;
      value += delta;
    }
    out.push(value);
  }
  return out;
}

/** Version 81 (older GC FID): double deltas from 0x400; 32767 escapes a 32-bit high + 16-bit low value. */
function fid81(file: BinaryFile): ChTrace {
  const out: number[] = [];
  let value = 0;
  let delta = 0;
  let at = 0x400;
  while (at + 2 <= file.bytes.length) {
    const d = file.i16be(at);
    at += 2;
    if (d === 0x7fff) {
      value = file.i32be(at, 'the high part of an absolute value') * 65536 + file.u16be(at + 4, 'an absolute value');
      at += 6;
      delta = 0;
    } else {
      delta += d;
      value += delta;
    }
    out.push(value);
  }
  const offset = file.f64be(636, 'the offset correction');
  const scale = file.f64be(644, 'the scaling factor');
  const start = file.i32be(282, 'the start time') / 60000;
  const end = file.i32be(286, 'the end time') / 60000;
  const metadata = file.metadata({ sample: 24, date: 178, method: 228, signal: 596, unit: 244 }, 1);
  return {
    version: '81',
    detector: 'FID',
    trace: {
      id: String(metadata.signal ?? 'FID'),
      time: evenTimes(start, end, out.length),
      intensity: Float64Array.from(out, (v) => v * scale + offset),
      unit: 'minute',
      params: { ...metadata, version: '81' },
    },
  };
}
