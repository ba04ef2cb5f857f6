import type { Writable } from 'node:stream';
import { count } from '../iterate.js';
import { hasHeaders } from '../open.js';
import type { Chromatogram, InstrumentReader, Spectrum } from '../types.js';
import { jsonLine } from './output.js';

export async function summary(reader: InstrumentReader, out: Writable): Promise<void> {
  const run = await reader.run();
  const levels: Record<string, number> = {};
  let spectra = 0;
  for await (const s of hasHeaders(reader) ? reader.spectrumHeaders() : reader.spectra()) {
    spectra++;
    levels[String(s.msLevel)] = (levels[String(s.msLevel)] ?? 0) + 1;
  }
  const chromatograms = await count(reader.chromatograms());
  const metadata = { ...run.metadata, instrument: run.instrument, started: run.started };
  await jsonLine(out, { format: run.format, spectra, chromatograms, ms_levels: levels, metadata });
}

function spectrumLine(s: Spectrum): Record<string, unknown> {
  const line: Record<string, unknown> = {
    index: s.index,
    id: s.id,
    ms_level: s.msLevel,
    rt_seconds: s.retentionTimeSeconds ?? null,
    precursor_mz: s.precursors[0]?.mz ?? null,
    mz: Array.from(s.mz),
    intensity: Array.from(s.intensity),
  };
  if (s.pixel) line.pixel = s.pixel;
  return line;
}

export async function spectra(reader: InstrumentReader, out: Writable, options: { msLevel?: number; limit?: number }): Promise<void> {
  let written = 0;
  if (options.limit === 0) return;
  for await (const s of reader.spectra()) {
    if (options.msLevel !== undefined && s.msLevel !== options.msLevel) continue;
    await jsonLine(out, spectrumLine(s));
    if (options.limit !== undefined && ++written >= options.limit) return;
  }
}

function chromatogramLine(c: Chromatogram): Record<string, unknown> {
  const line: Record<string, unknown> = { id: c.id, unit: c.unit };
  if (c.wavelengthNm !== undefined) line.wavelength_nm = c.wavelengthNm;
  line.time = Array.from(c.time);
  line.intensity = Array.from(c.intensity);
  return line;
}

/**
 * Chromatograms as JSON lines; with `scans`, also every MS scan as `{scan, time, mz, intensity}`,
 * its time in the unit of the chromatograms before it (minutes for ChemStation, as its TIC).
 */
export async function chromatograms(reader: InstrumentReader, out: Writable, scans: boolean): Promise<void> {
  let unit: 'second' | 'minute' = 'second';
  for await (const c of reader.chromatograms()) {
    unit = c.unit;
    await jsonLine(out, chromatogramLine(c));
  }
  if (!scans) return;
  for await (const s of reader.spectra()) {
    const rt = s.retentionTimeSeconds;
    await jsonLine(out, {
      scan: s.index,
      time: rt === undefined ? null : unit === 'minute' ? rt / 60 : rt,
      mz: Array.from(s.mz),
      intensity: Array.from(s.intensity),
    });
  }
}
