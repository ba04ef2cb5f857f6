import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentFileError } from '../src/errors.js';
import { AndiReader } from '../src/netcdf/reader.js';
import { collect, exec, expectClose, fixture, PYTHON, REFERENCE, tempDir } from './helpers.js';

interface Dump {
  attributes: Record<string, string | number>;
  times?: number[];
  tic?: number[];
  scans?: Record<string, { mz: number[]; intensity: number[] }>;
  points?: number;
  ordinate_values?: number[];
  interval?: number;
  delay?: number;
}

const dump = async (file: string) => JSON.parse(await exec(PYTHON, [join(REFERENCE, 'netcdf_dump.py'), file])) as Dump;

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('ANDI netCDF against python3-netcdf4', () => {
  it('GC-MS (P071.CDF): scans, times, TIC and peaks', async () => {
    const file = fixture('netcdf', 'P071.CDF');
    const ref = await dump(file);
    const reader = new AndiReader(file);
    const spectra = await collect(reader.spectra());
    expect(spectra).toHaveLength(ref.times?.length ?? -1);
    expectClose(
      spectra.map((s) => s.retentionTimeSeconds ?? Number.NaN),
      ref.times ?? [],
      1e-9,
    );
    expect(spectra.reduce((n, s) => n + s.mz.length, 0)).toBe(ref.points);
    for (const [i, scan] of Object.entries(ref.scans ?? {})) {
      expectClose(spectra[Number(i)]?.mz ?? [], scan.mz, 1e-9);
      expectClose(spectra[Number(i)]?.intensity ?? [], scan.intensity, 1e-9);
    }
    const [tic] = await collect(reader.chromatograms());
    expectClose(tic?.intensity ?? [], ref.tic ?? [], 1e-9);
    const run = await reader.run();
    expect(run).toMatchObject({ format: 'ANDI-MS', spectrumCount: 6401, started: '2007-09-23T04:08:00+02:00' });
    expect(run.metadata.experiment_title).toBe(ref.attributes.experiment_title);
    expect(spectra[0]?.polarity).toBe('positive');
  });

  it('HPLC (agilent_hplc.cdf): one trace with its sampling interval and detector', async () => {
    const file = fixture('netcdf', 'agilent_hplc.cdf');
    const ref = await dump(file);
    const reader = new AndiReader(file);
    const [trace, ...rest] = await collect(reader.chromatograms());
    expect(rest).toHaveLength(0);
    expectClose(trace?.intensity ?? [], ref.ordinate_values ?? [], 1e-9);
    expect(trace?.time[1]).toBeCloseTo((ref.delay ?? 0) + (ref.interval ?? 0), 9);
    expect(trace).toMatchObject({ id: 'DAD1 A, Sig=254,4 Ref=360,100', unit: 'second' });
    expect(trace?.params.detector_unit).toBe('mAU');
    expect((await reader.run()).format).toBe('ANDI-CHROM');
  });

  it('a cut netCDF file is an InstrumentFileError', async () => {
    const bytes = await readFile(fixture('netcdf', 'agilent_hplc.cdf'));
    const cut = join(tmp.dir, 'cut.cdf');
    await writeFile(cut, bytes.subarray(0, 3000));
    const reader = new AndiReader(cut);
    await expect(collect(reader.chromatograms())).rejects.toThrow(InstrumentFileError);
  });
});
