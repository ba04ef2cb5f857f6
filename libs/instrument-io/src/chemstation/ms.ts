import { InstrumentFileError } from '../errors.js';
import type { Params } from '../types.js';
import { BinaryFile } from './header.js';

interface MsScan {
  /** Minutes. */
  time: number;
  mz: Float64Array;
  intensity: Float64Array;
}

export interface MsData {
  kind: 'LC' | 'GC';
  scans: MsScan[];
  metadata: Params;
}

const MAGIC = 0x01320000;
const PARTIAL_START = 0x2f2;

/**
 * Quadrupole MS files (data.ms, MSD1.MS). m/z is stored ×20 as an unsigned 16-bit integer;
 * an intensity packs a 2-bit base-8 exponent over a 14-bit mantissa. m/z is returned unrounded.
 */
export function parseMs(file: BinaryFile): MsData {
  const head = file.u32be(0, 'the file header');
  const type = file.text(4, 1);
  const kind = type === 'MSD Spectral File' ? 'LC' : 'GC';
  let at: number;
  let count: number | undefined;
  if (head === MAGIC) {
    count = kind === 'LC' ? file.u32be(0x116, 'the scan count') : file.u16le(0x142, 'the scan count');
    at = file.u16be(0x10a, 'the data offset') * 2 - 2;
  } else if (file.u16be(0x10a, 'the data offset') === 0) {
    at = PARTIAL_START; // an interrupted acquisition: no count, no offset
  } else {
    throw new InstrumentFileError(file.path, 0, `a ChemStation MS header (0x01320000), found 0x${head.toString(16)}`);
  }
  const scans: MsScan[] = [];
  for (let i = 0; count === undefined ? at + 18 <= file.bytes.length : i < count; i++) {
    const what = `scan ${String(i)}`;
    const time = file.u32be(at + 2, `the time of ${what}`) / 60000;
    const pairs = file.u16be(at + 12, `the pair count of ${what}`);
    at += 18;
    file.need(at, pairs * 4 + 10, `the ${String(pairs)} m/z-intensity pairs of ${what}`);
    const mz = new Float64Array(pairs);
    const intensity = new Float64Array(pairs);
    for (let p = 0; p < pairs; p++, at += 4) {
      mz[p] = file.view.getUint16(at, false) / 20;
      const enc = file.view.getUint16(at + 2, false);
      intensity[p] = 8 ** (enc >> 14) * (enc & 0x3fff);
    }
    at += 10;
    scans.push({ time, mz, intensity });
  }
  return { kind, scans, metadata: file.metadata({ date: 0xb2, method: 0xe4 }, 1) };
}
