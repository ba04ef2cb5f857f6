import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { writeLine } from '../cli/output.js';
import { InstrumentFileError } from '../errors.js';
import type { InstrumentReader, Spectrum } from '../types.js';
import { MzmlWriter } from './mzml-writer.js';

export const CONVERT_TARGETS = ['mzml', 'mgf', 'csv', 'xlsx'] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

/** Excel's row limit: a peaks sheet that would pass it is refused rather than cut. */
const EXCEL_ROWS = 1_048_576;

export async function convert(reader: InstrumentReader, to: ConvertTarget, out: string): Promise<void> {
  switch (to) {
    case 'mzml':
      return toMzml(reader, out);
    case 'mgf':
      return toMgf(reader, out);
    case 'csv':
      return toCsv(reader, out);
    case 'xlsx':
      return toXlsx(reader, out);
  }
}

async function toMzml(reader: InstrumentReader, out: string): Promise<void> {
  const run = await reader.run();
  const writer = new MzmlWriter(out);
  await writer.begin(run);
  for await (const s of reader.spectra()) await writer.spectrum(s);
  await writer.beginChromatograms(run.chromatogramCount);
  for await (const c of reader.chromatograms()) await writer.chromatogram(c);
  await writer.end();
}

async function withFile(out: string, body: (line: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const stream = createWriteStream(out);
  await body((text) => writeLine(stream, text));
  stream.end();
  await once(stream, 'finish');
}

/** MGF holds fragment spectra: MS1 scans are left out, as msconvert and OpenMS do. */
async function toMgf(reader: InstrumentReader, out: string): Promise<void> {
  await withFile(out, async (line) => {
    for await (const s of reader.spectra()) {
      if (s.msLevel < 2) continue;
      await line('BEGIN IONS');
      await line(`TITLE=${s.id}`);
      if (s.retentionTimeSeconds !== undefined) await line(`RTINSECONDS=${String(s.retentionTimeSeconds)}`);
      const p = s.precursors[0];
      if (p) {
        await line(`PEPMASS=${String(p.mz)}${p.intensity === undefined ? '' : ` ${String(p.intensity)}`}`);
        if (p.charges.length) await line(`CHARGE=${p.charges.map((c) => `${String(Math.abs(c))}${c < 0 ? '-' : '+'}`).join(' and ')}`);
      }
      for (let i = 0; i < s.mz.length; i++) await line(`${String(s.mz[i])} ${String(s.intensity[i])}`);
      await line('END IONS');
    }
  });
}

/** Long CSV: one row per peak; for files without spectra, one row per chromatogram point. */
async function toCsv(reader: InstrumentReader, out: string): Promise<void> {
  await withFile(out, async (line) => {
    let any = false;
    for await (const s of reader.spectra()) {
      if (!any) await line('spectrum_index,spectrum_id,ms_level,rt_seconds,mz,intensity');
      any = true;
      const head = `${String(s.index)},${csvField(s.id)},${String(s.msLevel)},${s.retentionTimeSeconds === undefined ? '' : String(s.retentionTimeSeconds)}`;
      for (let i = 0; i < s.mz.length; i++) await line(`${head},${String(s.mz[i])},${String(s.intensity[i])}`);
    }
    if (any) return;
    await line('chromatogram_id,wavelength_nm,unit,time,intensity');
    for await (const c of reader.chromatograms()) {
      const head = `${csvField(c.id)},${c.wavelengthNm === undefined ? '' : String(c.wavelengthNm)},${c.unit}`;
      for (let i = 0; i < c.time.length; i++) await line(`${head},${String(c.time[i])},${String(c.intensity[i])}`);
    }
  });
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function spectrumRow(s: Spectrum): unknown[] {
  let tic = 0;
  let basePeak = 0;
  let basePeakMz: number | null = null;
  for (let i = 0; i < s.intensity.length; i++) {
    const v = s.intensity[i] ?? 0;
    tic += v;
    if (v > basePeak || basePeakMz === null) {
      basePeak = v;
      basePeakMz = s.mz[i] ?? null;
    }
  }
  return [s.index, s.id, s.msLevel, s.retentionTimeSeconds ?? null, s.precursors[0]?.mz ?? null, s.mz.length, tic, basePeakMz];
}

/** Streaming workbook: "spectra" (one row each), "peaks" (long), "chromatograms" (long). */
async function toXlsx(reader: InstrumentReader, out: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true });
  const spectra = book.addWorksheet('spectra');
  spectra.addRow(['index', 'id', 'ms_level', 'rt_seconds', 'precursor_mz', 'peaks', 'tic', 'base_peak_mz']).commit();
  const peaks = book.addWorksheet('peaks');
  peaks.addRow(['spectrum_index', 'mz', 'intensity']).commit();
  let peakRows = 1;
  for await (const s of reader.spectra()) {
    spectra.addRow(spectrumRow(s)).commit();
    peakRows += s.mz.length;
    if (peakRows > EXCEL_ROWS) {
      throw new InstrumentFileError(out, undefined, `at most ${String(EXCEL_ROWS)} peaks for one Excel sheet (convert to csv or mzml)`);
    }
    for (let i = 0; i < s.mz.length; i++) peaks.addRow([s.index, s.mz[i], s.intensity[i]]).commit();
  }
  const chrom = book.addWorksheet('chromatograms');
  chrom.addRow(['id', 'wavelength_nm', 'unit', 'time', 'intensity']).commit();
  for await (const c of reader.chromatograms()) {
    for (let i = 0; i < c.time.length; i++) chrom.addRow([c.id, c.wavelengthNm ?? null, c.unit, c.time[i], c.intensity[i]]).commit();
  }
  await book.commit();
}
