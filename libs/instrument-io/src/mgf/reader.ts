import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InstrumentFileError } from '../errors.js';
import { count } from '../iterate.js';
import type { Chromatogram, InstrumentReader, Params, Precursor, Run, Spectrum } from '../types.js';
import { paramValue } from '../xml/stream.js';

interface Block {
  offset: number;
  params: Params;
  mz: number[];
  intensity: number[];
  peakCharges: number[];
}

const COMMENT = /^[#;!/]/;

/** Mascot Generic Format: one spectrum per BEGIN IONS/END IONS block, file-level keys as defaults. */
export class MgfReader implements InstrumentReader {
  constructor(readonly path: string) {}

  async *spectra(): AsyncIterableIterator<Spectrum> {
    const defaults: Params = {};
    let block: Block | undefined;
    let offset = 0;
    let index = 0;
    const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const raw of lines) {
      const lineOffset = offset;
      offset += Buffer.byteLength(raw) + 1;
      const line = raw.trim();
      if (line === '' || COMMENT.test(line)) continue;
      if (line === 'BEGIN IONS') {
        if (block) throw new InstrumentFileError(this.path, lineOffset, 'END IONS before the next BEGIN IONS');
        block = { offset: lineOffset, params: { ...defaults }, mz: [], intensity: [], peakCharges: [] };
      } else if (line === 'END IONS') {
        if (!block) throw new InstrumentFileError(this.path, lineOffset, 'BEGIN IONS before END IONS');
        yield this.toSpectrum(block, index++);
        block = undefined;
      } else if (/^[A-Za-z_][\w ]*=/.test(line)) {
        const eq = line.indexOf('=');
        (block?.params ?? defaults)[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
      } else if (block) {
        this.peak(block, line, lineOffset);
      } else {
        throw new InstrumentFileError(this.path, lineOffset, `KEY=value or BEGIN IONS, found "${line.slice(0, 40)}"`);
      }
    }
    if (block) throw new InstrumentFileError(this.path, block.offset, 'END IONS for the last spectrum (file is truncated)');
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    // MGF has no chromatograms.
  }

  async run(): Promise<Run> {
    return { format: 'MGF', spectrumCount: await count(this.spectra()), chromatogramCount: 0, metadata: {} };
  }

  private peak(block: Block, line: string, offset: number): void {
    const parts = line.split(/\s+/);
    const mz = Number(parts[0]);
    const intensity = parts[1] === undefined ? 0 : Number(parts[1]);
    if (!Number.isFinite(mz) || !Number.isFinite(intensity)) {
      throw new InstrumentFileError(this.path, offset, `a peak line "m/z intensity [charge]", found "${line.slice(0, 40)}"`);
    }
    block.mz.push(mz);
    block.intensity.push(intensity);
    if (parts[2] !== undefined) block.peakCharges.push(parseCharges(parts[2])[0] ?? 0);
  }

  private toSpectrum(block: Block, index: number): Spectrum {
    const p = block.params;
    const precursors: Precursor[] = [];
    const pepmass = typeof p.pepmass === 'string' ? p.pepmass.split(/\s+/) : [];
    if (pepmass[0] !== undefined) {
      const precursor: Precursor = { mz: Number(pepmass[0]), charges: [] };
      if (pepmass[1] !== undefined && !/[+-]$/.test(pepmass[1])) precursor.intensity = Number(pepmass[1]);
      const inline = pepmass.find((t, i) => i > 0 && /^\d+[+-]$/.test(t));
      precursor.charges = typeof p.charge === 'string' ? parseCharges(p.charge) : inline ? parseCharges(inline) : [];
      precursors.push(precursor);
    }
    const rt = typeof p.rtinseconds === 'string' ? Number(p.rtinseconds.split(/[-\s]/)[0]) : undefined;
    const params: Params = {};
    for (const [k, v] of Object.entries(p)) params[k] = typeof v === 'string' ? paramValue(v) : v;
    if (typeof p.charge === 'string') params.charge = p.charge;
    const spectrum: Spectrum = {
      index,
      id: typeof p.title === 'string' ? p.title : `index=${String(index)}`,
      msLevel: typeof params.mslevel === 'number' ? params.mslevel : 2,
      retentionTimeSeconds: rt !== undefined && Number.isFinite(rt) ? rt : undefined,
      precursors,
      mz: Float64Array.from(block.mz),
      intensity: Float64Array.from(block.intensity),
      params,
    };
    if (block.peakCharges.length === block.mz.length && block.mz.length > 0) {
      params.peak_charges = block.peakCharges.join(',');
    }
    return spectrum;
  }
}

/** "2+ and 3+", "2+,3+", "3-" -> [2, 3] / [-3]. */
export function parseCharges(text: string): number[] {
  return [...text.matchAll(/(\d+)\s*([+-])?/g)].map((m) => (m[2] === '-' ? -Number(m[1]) : Number(m[1])));
}
