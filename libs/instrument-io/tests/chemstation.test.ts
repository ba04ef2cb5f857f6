import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChemstationReader } from '../src/chemstation/reader.js';
import { InstrumentFileError } from '../src/errors.js';
import type { Chromatogram } from '../src/types.js';
import { collect, expectClose, fixture, tempDir } from './helpers.js';

const expected = (...p: string[]) => fixture('chemstation', 'expected', ...p);

/** rainbow's published CSV: header "RT (min),<labels>", then one row per time. */
async function rainbowCsv(name: string): Promise<{ labels: string[]; times: number[]; rows: number[][] }> {
  const lines = gunzipSync(await readFile(expected(`${name}.csv.gz`)))
    .toString('utf8')
    .trim()
    .split('\n');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { labels: (lines[0] ?? '').split(',').slice(1), times: rows.map((r) => r[0] ?? Number.NaN), rows: rows.map((r) => r.slice(1)) };
}

interface Info {
  datafiles: Record<string, { shape: [number, number]; metadata: Record<string, string> }>;
}
const info = async (name: string) => JSON.parse(await readFile(expected(name, 'info.json'), 'utf8')) as Info;

async function traces(folder: string): Promise<Chromatogram[]> {
  return collect(new ChemstationReader(fixture('chemstation', folder)).chromatograms());
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('ChemStation .ch against rainbow', () => {
  for (const [folder, file, csv] of [
    ['brown.D', 'dad1A.ch', 'brown/dad1A'],
    ['brown.D', 'dad1B.ch', 'brown/dad1B'],
    ['orange.D', 'ADC1A.CH', 'orange/ADC1A'],
    ['yellow.D', 'FID1A.ch', 'yellow/FID1A'],
  ] as const) {
    it(`${folder}/${file}: times, values, metadata`, async () => {
      const trace = (await traces(folder)).find((c) => c.params.file === file);
      const ref = await rainbowCsv(csv);
      expectClose(trace?.time ?? [], ref.times, 1e-9, 1e-12);
      expectClose(
        trace?.intensity ?? [],
        ref.rows.map((r) => r[0] ?? Number.NaN),
        1e-9,
        1e-12,
      );
      const meta = (await info(folder.replace('.D', ''))).datafiles[file]?.metadata ?? {};
      expect(trace?.params).toMatchObject(meta);
      if (ref.labels[0]) expect(trace?.wavelengthNm).toBe(Number(ref.labels[0]));
    });
  }

  it('version 81 (entab test_fid.ch): 2699 points starting at 17.500', async () => {
    const [trace] = await collect(new ChemstationReader(fixture('chemstation', 'entab', 'test_fid.ch')).chromatograms());
    expect(trace?.intensity.length).toBe(2699);
    // entab's own test: |first - 17.500| < 0.001
    expect(Math.abs((trace?.intensity[0] ?? 0) - 17.5)).toBeLessThan(0.001);
    expect(trace?.params.version).toBe('81');
  });
});

describe('ChemStation .ms against rainbow', () => {
  for (const [folder, file, csv] of [
    ['orange.D', 'MSD1.MS', 'orange/MSD1'],
    ['yellow.D', 'data.ms', 'yellow/data'],
  ] as const) {
    it(`${folder}/${file}: every scan binned to unit m/z as rainbow does`, async () => {
      const reader = new ChemstationReader(fixture('chemstation', folder));
      const spectra = (await collect(reader.spectra())).filter((s) => s.params.file === file);
      const ref = await rainbowCsv(csv);
      expect(spectra).toHaveLength(ref.times.length);
      const column = new Map(ref.labels.map((l, i) => [Number(l), i]));
      for (const [i, s] of spectra.entries()) {
        expect((s.retentionTimeSeconds ?? 0) / 60).toBeCloseTo(ref.times[i] ?? Number.NaN, 9);
        const row = new Float64Array(ref.labels.length);
        for (let p = 0; p < s.mz.length; p++) {
          const col = column.get(roundHalfEven(s.mz[p] ?? 0));
          if (col === undefined) throw new Error(`m/z ${String(s.mz[p])} not in rainbow's columns`);
          row[col] = (row[col] ?? 0) + (s.intensity[p] ?? 0);
        }
        expect(Array.from(row)).toEqual(ref.rows[i]);
      }
      const tic = (await collect(reader.chromatograms())).find((c) => c.id === `${file} TIC`);
      expect(tic?.intensity[0]).toBe(ref.rows[0]?.reduce((a, b) => a + b, 0));
    });
  }
});

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

describe('ChemStation .uv against rainbow', () => {
  interface UvRef {
    shape: [number, number];
    wavelengths: number[];
    time_first: number;
    time_last: number;
    column_sums: number[];
    row_first: number[];
    row_mid: number[];
    metadata: Record<string, string>;
  }
  for (const [folder, file, version] of [
    ['brown.D', 'dad1.uv', '31'],
    ['red.D', 'DAD1.UV', '131'],
  ] as const) {
    it(`${folder}/${file} (version ${version}): one trace per wavelength`, async () => {
      const refs = JSON.parse(await readFile(expected('uv-rainbow.json'), 'utf8')) as Record<string, UvRef>;
      const ref = refs[`${folder}/${file}`];
      if (!ref) throw new Error('missing reference');
      const uv = (await traces(folder)).filter((c) => c.params.file === file);
      expect(uv.map((c) => c.wavelengthNm)).toEqual(ref.wavelengths);
      expect([uv[0]?.time.length, uv.length]).toEqual(ref.shape);
      expect((await info(folder.replace('.D', ''))).datafiles[file]?.shape).toEqual(ref.shape);
      expect(uv[0]?.time[0]).toBeCloseTo(ref.time_first, 12);
      expect(uv[0]?.time.at(-1)).toBeCloseTo(ref.time_last, 12);
      expectClose(
        uv.map((c) => c.intensity.reduce((a, b) => a + b, 0)),
        ref.column_sums,
        1e-9,
        1e-6,
      );
      const mid = Math.floor(ref.shape[0] / 2);
      expectClose(
        uv.map((c) => c.intensity[0] ?? Number.NaN),
        ref.row_first,
        1e-12,
      );
      expectClose(
        uv.map((c) => c.intensity[mid] ?? Number.NaN),
        ref.row_mid,
        1e-12,
      );
      expect(uv[0]?.params).toMatchObject(ref.metadata);
    });
  }
});

describe('ChemStation folders and corrupt input', () => {
  it('run() of a .D folder: files, counts, date, method', async () => {
    const run = await new ChemstationReader(fixture('chemstation', 'orange.D')).run();
    expect(run).toMatchObject({ format: 'ChemStation-D', spectrumCount: 469, chromatogramCount: 2 });
    expect(run.metadata).toMatchObject({ vendor: 'Agilent', method: 'PURITY_HPLC.M', files: 'ADC1A.CH,MSD1.MS' });
  });

  it('a .D file with a bad header is an InstrumentFileError naming it', async () => {
    const dir = join(tmp.dir, 'bad.D');
    await mkdir(dir);
    const bytes = await readFile(fixture('chemstation', 'brown.D', 'dad1A.ch'));
    bytes.write('99', 1, 'latin1');
    await writeFile(join(dir, 'dad1A.ch'), bytes);
    const error = (await collect(new ChemstationReader(dir).chromatograms()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error).toBeInstanceOf(InstrumentFileError);
    expect(error.file).toBe(join(dir, 'dad1A.ch'));
    expect(error.message).toMatch(/version 30, 81, 130, 179 or 181, found "99"/);
  });

  it('a cut .ms file names the scan it could not read', async () => {
    const bytes = await readFile(fixture('chemstation', 'orange.D', 'MSD1.MS'));
    const cut = join(tmp.dir, 'MSD1.MS');
    await writeFile(cut, bytes.subarray(0, 500_000));
    const error = (await collect(new ChemstationReader(cut).spectra()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error).toBeInstanceOf(InstrumentFileError);
    expect(error.message).toMatch(/scan \d+/);
    expect(error.offset).toBeGreaterThan(400_000);
  });

  it('a cut .uv file is an error, not fewer spectra', async () => {
    const cut = join(tmp.dir, 'DAD1.UV');
    await copyFile(fixture('chemstation', 'red.D', 'DAD1.UV'), cut);
    const bytes = await readFile(cut);
    await writeFile(cut, bytes.subarray(0, 300_000));
    await expect(collect(new ChemstationReader(cut).chromatograms())).rejects.toThrow(/absorbances of spectrum|time of spectrum/);
  });
});
