import { InstrumentFileError } from '../errors.js';
import type { Params } from '../types.js';
import { BinaryFile } from './header.js';

export interface UvData {
  version: string;
  wavelengths: number[];
  /** Minutes. */
  times: Float64Array;
  /** One row per time, one column per wavelength. */
  absorbance: Float64Array[];
  metadata: Params;
}

interface Layout {
  numTimes: number;
  scale: number;
  start: number;
  metadata: Record<string, number>;
  gap: 1 | 2;
  doubles: boolean;
}

/** DAD spectra (.uv), versions 31 and 131 (delta-encoded, or raw doubles in OpenLab "OL" files). */
export function parseUv(file: BinaryFile): UvData {
  const version = file.version();
  const layout = layoutOf(file, version);
  const first = layout.start + 8;
  const wlStart = Math.floor(file.u16le(first, 'the wavelength range') / 20);
  const wlEnd = Math.floor(file.u16le(first + 2, 'the wavelength range') / 20);
  const wlStep = Math.floor(file.u16le(first + 4, 'the wavelength range') / 20);
  if (wlStep <= 0 || wlEnd < wlStart)
    throw new InstrumentFileError(file.path, first, `a wavelength range, found ${String(wlStart)}-${String(wlEnd)} step ${String(wlStep)}`);
  const wavelengths: number[] = [];
  for (let w = wlStart; w <= wlEnd; w += wlStep) wavelengths.push(w);
  const scale = file.f64be(layout.scale, 'the scaling factor');
  const times: number[] = [];
  const rows: Float64Array[] = [];
  let at = layout.start;
  // A partial file (acquisition interrupted) stores no count: read segments to the end.
  const partial = layout.numTimes === 0;
  for (let t = 0; partial ? at + 22 <= file.bytes.length : t < layout.numTimes; t++) {
    times.push(file.u32le(at + 4, `the time of spectrum ${String(t)}`) / 60000);
    at += 22;
    const row = new Float64Array(wavelengths.length);
    if (layout.doubles) {
      for (let j = 0; j < row.length; j++, at += 8) row[j] = file.f64le(at, `absorbances of spectrum ${String(t)}`) * scale;
    } else {
      let accum = 0;
      for (let j = 0; j < row.length; j++) {
        const d = file.i16le(at, `absorbances of spectrum ${String(t)}`);
        at += 2;
        if (d === -0x8000) {
          accum = file.i32le(at, `absorbances of spectrum ${String(t)}`);
          at += 4;
        } else {
          accum += d;
        }
        row[j] = accum * scale;
      }
    }
    rows.push(row);
  }
  return { version, wavelengths, times: Float64Array.from(times), absorbance: rows, metadata: file.metadata(layout.metadata, layout.gap) };
}

function layoutOf(file: BinaryFile, version: string): Layout {
  if (version === '131') {
    const kind = file.text(347, 2);
    if (!kind.startsWith('LC') && !kind.startsWith('OL')) {
      throw new InstrumentFileError(file.path, 347, `a .uv 131 file type "LC..." or "OL...", found "${kind}"`);
    }
    return {
      numTimes: file.u32be(0x116, 'the number of spectra'),
      scale: 0xc0d,
      start: 0x1000,
      metadata: { notebook: 0x35a, date: 0x957, method: 0xa0e, unit: 0xc15, signal: 0xc40, vialpos: 0xfd7 },
      gap: 2,
      doubles: kind.startsWith('OL'),
    };
  }
  if (version === '31') {
    return {
      numTimes: file.u32be(0x116, 'the number of spectra'),
      scale: 0x13e,
      start: 0x200,
      metadata: { notebook: 0x18, date: 0xb2, method: 0xe4, unit: 0x146 },
      gap: 1,
      doubles: false,
    };
  }
  throw new InstrumentFileError(file.path, 0, `a ChemStation .uv version 31 or 131, found "${version}"`);
}
