import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { InstrumentFileError } from '../errors.js';
import type { Chromatogram, Format, InstrumentReader, Params, Run, Spectrum } from '../types.js';
import { parseCh, type Detector } from './ch.js';
import { BinaryFile } from './header.js';
import { parseMs, type MsData } from './ms.js';
import { parseUv, type UvData } from './uv.js';

type Parsed =
  | { name: string; kind: 'ms'; data: MsData }
  | { name: string; kind: 'uv'; data: UvData }
  | { name: string; kind: 'ch'; detector: Detector; trace: Chromatogram };

const KINDS: Record<string, 'ms' | 'uv' | 'ch'> = { '.ms': 'ms', '.uv': 'uv', '.ch': 'ch' };

/**
 * Agilent ChemStation: a `.D` folder (every .ch, .uv and .ms file in it) or one of those files.
 * Each file is read whole: ChemStation files are single runs of a few MB to a few hundred MB.
 */
export class ChemstationReader implements InstrumentReader {
  private parsed: Parsed[] | undefined;

  constructor(readonly path: string) {}

  static handles(path: string): boolean {
    return extname(path).toLowerCase() in KINDS;
  }

  private async files(): Promise<Parsed[]> {
    if (this.parsed) return this.parsed;
    const info = await stat(this.path);
    let paths = [this.path];
    if (info.isDirectory()) {
      const names = (await readdir(this.path)).filter((n) => ChemstationReader.handles(n)).sort();
      if (names.length === 0) throw new InstrumentFileError(this.path, undefined, 'a .D folder with .ch, .uv or .ms files');
      paths = names.map((n) => join(this.path, n));
    }
    this.parsed = await Promise.all(paths.map((p) => parseOne(p)));
    return this.parsed;
  }

  async run(): Promise<Run> {
    const files = await this.files();
    const metadata: Params = { vendor: 'Agilent', files: files.map((f) => f.name).join(',') };
    const dates = new Map<string, number>();
    let instrument: string | undefined;
    for (const f of files) {
      const meta = f.kind === 'ch' ? f.trace.params : f.data.metadata;
      if (typeof meta.date === 'string') dates.set(meta.date, (dates.get(meta.date) ?? 0) + 1);
      // The first file that names them wins.
      for (const [from, to] of [
        ['method', 'method'],
        ['vialpos', 'vialpos'],
        ['notebook', 'sample'],
      ] as const) {
        const value = meta[from];
        if (typeof value === 'string' && !(to in metadata)) metadata[to] = value;
      }
      if (typeof meta.instrument === 'string') instrument ??= meta.instrument;
    }
    const date = [...dates].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (date) metadata.date = date;
    const spectra = files.reduce((n, f) => n + (f.kind === 'ms' ? f.data.scans.length : 0), 0);
    const chromatograms = files.reduce((n, f) => n + (f.kind === 'uv' ? f.data.wavelengths.length : 1), 0);
    return { format: await this.format(files), instrument, spectrumCount: spectra, chromatogramCount: chromatograms, metadata };
  }

  private async format(files: Parsed[]): Promise<Format> {
    if ((await stat(this.path)).isDirectory()) return 'ChemStation-D';
    const kind = files[0]?.kind;
    return kind === 'ms' ? 'ChemStation-MS' : kind === 'uv' ? 'ChemStation-UV' : 'ChemStation-CH';
  }

  async *spectra(): AsyncIterableIterator<Spectrum> {
    let index = 0;
    for (const f of await this.files()) {
      if (f.kind !== 'ms') continue;
      for (const [i, scan] of f.data.scans.entries()) {
        yield {
          index: index++,
          id: `${f.name} scan=${String(i + 1)}`,
          msLevel: 1,
          retentionTimeSeconds: scan.time * 60,
          precursors: [],
          mz: scan.mz,
          intensity: scan.intensity,
          params: { file: f.name },
        };
      }
    }
  }

  /** TIC of each MS file, each .ch trace, and one trace per wavelength of each .uv file (minutes). */
  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    for (const f of await this.files()) {
      if (f.kind === 'ch') {
        yield { ...f.trace, params: { ...f.trace.params, file: f.name, detector: f.detector ?? '' } };
      } else if (f.kind === 'ms') {
        yield {
          id: `${f.name} TIC`,
          time: Float64Array.from(f.data.scans, (s) => s.time),
          intensity: Float64Array.from(f.data.scans, (s) => s.intensity.reduce((a, b) => a + b, 0)),
          unit: 'minute',
          params: { ...f.data.metadata, file: f.name, detector: 'MS' },
        };
      } else {
        const { wavelengths, times, absorbance, metadata } = f.data;
        for (const [j, wavelength] of wavelengths.entries()) {
          yield {
            id: `${f.name} ${String(wavelength)} nm`,
            time: times,
            intensity: Float64Array.from(absorbance, (row) => row[j] ?? Number.NaN),
            unit: 'minute',
            wavelengthNm: wavelength,
            params: { ...metadata, file: f.name, detector: 'UV' },
          };
        }
      }
    }
  }
}

async function parseOne(path: string): Promise<Parsed> {
  const name = basename(path);
  const file = new BinaryFile(path, await readFile(path));
  switch (KINDS[extname(path).toLowerCase()]) {
    case 'ms':
      return { name, kind: 'ms', data: parseMs(file) };
    case 'uv':
      return { name, kind: 'uv', data: parseUv(file) };
    default: {
      const { detector, trace } = parseCh(file);
      return { name, kind: 'ch', detector, trace };
    }
  }
}
