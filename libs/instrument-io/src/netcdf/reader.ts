import { readFile } from 'node:fs/promises';
import { NetCDFReader } from 'netcdfjs';
import { InstrumentFileError } from '../errors.js';
import type { Chromatogram, InstrumentReader, Params, Polarity, Run, Spectrum } from '../types.js';

/**
 * ANDI/AIA netCDF (ASTM E1947 chromatography, E2077 mass spectrometry) through netcdfjs. netcdfjs
 * parses a whole file in memory; ANDI files are exports of single runs, rarely over a few hundred MB.
 */
export class AndiReader implements InstrumentReader {
  private parsed: NetCDFReader | undefined;

  constructor(readonly path: string) {}

  private async cdf(): Promise<NetCDFReader> {
    if (this.parsed) return this.parsed;
    const bytes = await readFile(this.path);
    try {
      this.parsed = new NetCDFReader(bytes);
    } catch (cause) {
      throw new InstrumentFileError(this.path, 0, `a netCDF classic file (${(cause as Error).message})`, { cause });
    }
    return this.parsed;
  }

  private async isMs(): Promise<boolean> {
    return (await this.cdf()).dataVariableExists('mass_values');
  }

  async run(): Promise<Run> {
    const cdf = await this.cdf();
    const ms = await this.isMs();
    const metadata: Params = {};
    for (const a of cdf.globalAttributes) {
      if (typeof a.value === 'string' || typeof a.value === 'number') metadata[a.name] = a.value;
    }
    const instrument = ms ? text(cdf, 'instrument_name') || text(cdf, 'instrument_model') : undefined;
    return {
      format: ms ? 'ANDI-MS' : 'ANDI-CHROM',
      instrument: instrument || undefined,
      started: stamp(metadata.experiment_date_time_stamp ?? metadata.injection_date_time_stamp),
      spectrumCount: ms ? numbers(cdf, 'scan_acquisition_time', this.path).length : 0,
      chromatogramCount: 1,
      metadata,
    };
  }

  async *spectra(): AsyncIterableIterator<Spectrum> {
    if (!(await this.isMs())) return;
    const cdf = await this.cdf();
    const times = numbers(cdf, 'scan_acquisition_time', this.path);
    const starts = numbers(cdf, 'scan_index', this.path);
    const counts = numbers(cdf, 'point_count', this.path);
    const mz = numbers(cdf, 'mass_values', this.path);
    const intensity = numbers(cdf, 'intensity_values', this.path);
    const polarity = polarityOf(cdf.getAttribute('test_ionization_polarity'));
    for (let i = 0; i < times.length; i++) {
      const start = starts[i] ?? 0;
      const end = start + (counts[i] ?? 0);
      if (end > mz.length || end > intensity.length) {
        throw new InstrumentFileError(this.path, undefined, `scan ${String(i)}'s ${String(counts[i])} points within mass_values`);
      }
      const spectrum: Spectrum = {
        index: i,
        id: `scan=${String(i + 1)}`,
        msLevel: 1,
        retentionTimeSeconds: times[i],
        precursors: [],
        mz: Float64Array.from(mz.slice(start, end)),
        intensity: Float64Array.from(intensity.slice(start, end)),
        params: {},
      };
      if (polarity) spectrum.polarity = polarity;
      yield spectrum;
    }
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    const cdf = await this.cdf();
    if (await this.isMs()) {
      yield {
        id: 'TIC',
        time: Float64Array.from(numbers(cdf, 'scan_acquisition_time', this.path)),
        intensity: Float64Array.from(numbers(cdf, 'total_intensity', this.path)),
        unit: 'second',
        params: {},
      };
      return;
    }
    const values = numbers(cdf, 'ordinate_values', this.path);
    const interval = scalar(cdf, 'actual_sampling_interval', this.path);
    const delay = scalar(cdf, 'actual_delay_time', this.path) ?? 0;
    if (interval === undefined) throw new InstrumentFileError(this.path, undefined, 'an actual_sampling_interval variable');
    const unit = String(cdf.getAttribute('retention_unit') ?? 'seconds')
      .toLowerCase()
      .startsWith('min')
      ? 'minute'
      : 'second';
    const params: Params = {};
    for (const key of ['detector_name', 'detector_unit', 'sample_name', 'detection_method_name']) {
      const v = cdf.getAttribute(key);
      if (typeof v === 'string' && v !== '') params[key] = v;
    }
    yield {
      id: String(params.detector_name ?? 'ordinate_values'),
      time: Float64Array.from(values, (_, i) => delay + i * interval),
      intensity: Float64Array.from(values),
      unit,
      params,
    };
  }
}

function numbers(cdf: NetCDFReader, name: string, path: string): number[] {
  const variable = cdf.variables.find((v) => v.name === name);
  if (!variable) throw new InstrumentFileError(path, undefined, `a ${name} variable`);
  try {
    return cdf.getDataVariable(variable).map((v) => Number(v));
  } catch (cause) {
    throw new InstrumentFileError(path, variable.offset, `the data of variable ${name} (file truncated?)`, { cause });
  }
}

function scalar(cdf: NetCDFReader, name: string, path: string): number | undefined {
  return cdf.dataVariableExists(name) ? numbers(cdf, name, path)[0] : undefined;
}

function text(cdf: NetCDFReader, name: string): string {
  return cdf.dataVariableExists(name) ? (cdf.getDataVariableAsString(name) ?? '').replace(/\0/g, '').trim() : '';
}

function polarityOf(value: string | number | null): Polarity | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^pos/i.test(value)) return 'positive';
  if (/^neg/i.test(value)) return 'negative';
  return undefined;
}

/** ANDI time stamps: YYYYMMDDhhmmss±hhmm -> ISO 8601. */
function stamp(value: unknown): string | undefined {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-]\d{2})(\d{2})$/.exec(value) : null;
  return m ? `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}T${m[4] ?? ''}:${m[5] ?? ''}:${m[6] ?? ''}${m[7] ?? ''}:${m[8] ?? ''}` : undefined;
}
