import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentFileError } from '../src/errors.js';
import { MgfReader, parseCharges } from '../src/mgf/reader.js';
import { durationSeconds } from '../src/mzxml/handler.js';
import { MzxmlReader } from '../src/mzxml/reader.js';
import { collect, exec, expectClose, fixture, pymzml, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

/** OpenMS converts the file to mzML; pymzml reads that: the expected values. */
async function viaOpenMs(file: string, name: string) {
  const mzml = join(tmp.dir, `${name}.mzML`);
  await exec('FileConverter', ['-in', file, '-out', mzml, '-no_progress']);
  return pymzml(mzml);
}

describe('mzXML', () => {
  const file = fixture('mzxml', 'test.mzXML');

  it('all ms levels, times, precursors and peaks equal OpenMS + pymzml', async () => {
    const ours = await collect(new MzxmlReader(file).spectra());
    const ref = await viaOpenMs(file, 'mzxml');
    expect(ours.map((s) => [s.msLevel, `scan=${s.id}`])).toEqual(ref.map((r) => [r.ms_level, r.id]));
    for (const [i, r] of ref.entries()) {
      const s = ours[i];
      expect(s?.retentionTimeSeconds).toBeCloseTo(r.rt_seconds ?? Number.NaN, 6);
      expect(s?.precursors.map((p) => p.mz)).toEqual(r.precursor_mz);
      expectClose(s?.mz ?? [], r.mz, 1e-6);
      expectClose(s?.intensity ?? [], r.intensity, 1e-6);
    }
    expect(ours[1]?.precursors[0]?.intensity).toBe(120053);
    expect(ours[0]?.polarity).toBe('positive');
  });

  it('run metadata and get() by scan number and index (the index offset is wrong, so a scan is used)', async () => {
    const reader = new MzxmlReader(file);
    expect(await reader.run()).toMatchObject({ format: 'mzXML', instrument: 'LCQ Deca', spectrumCount: 2 });
    expect((await reader.get('20')).mz.length).toBe(43);
    expect((await reader.get(0)).mz.length).toBe(1313);
    await expect(reader.get('99')).rejects.toThrow(InstrumentFileError);
  });

  it('truncated peaks are an InstrumentFileError naming the scan', async () => {
    const text = await readFile(file, 'latin1');
    const end = text.indexOf('</peaks>');
    const broken = join(tmp.dir, 'cut-peaks.mzXML');
    await writeFile(broken, text.slice(0, end - 12) + text.slice(end), 'latin1');
    const error = (await collect(new MzxmlReader(broken).spectra()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error).toBeInstanceOf(InstrumentFileError);
    expect(error.message).toMatch(/peaks of scan 19/);
  });

  it('parses xs:duration', () => {
    expect(durationSeconds('PT353.43S')).toBe(353.43);
    expect(durationSeconds('PT1H2M3S')).toBe(3723);
    expect(durationSeconds('nonsense')).toBeUndefined();
  });
});

describe('MGF', () => {
  it('peaks and precursors equal OpenMS + pymzml', async () => {
    const file = fixture('mgf', 'test.mgf');
    const ours = await collect(new MgfReader(file).spectra());
    const ref = await viaOpenMs(file, 'mgf');
    expect(ours).toHaveLength(ref.length);
    for (const [i, r] of ref.entries()) {
      expect(ours[i]?.precursors.map((p) => p.mz)).toEqual(r.precursor_mz);
      expectClose(ours[i]?.mz ?? [], r.mz, 1e-6);
      expectClose(ours[i]?.intensity ?? [], r.intensity, 1e-6);
    }
  });

  it('titles, PEPMASS intensity, CHARGE lists, RTINSECONDS, file-level and extra keys', async () => {
    const [first, second] = await collect(new MgfReader(fixture('mgf', 'test.mgf')).spectra());
    expect(first).toMatchObject({ id: 'Spectrum 1', msLevel: 2, retentionTimeSeconds: undefined });
    expect(first?.precursors).toEqual([{ mz: 983.6, charges: [2] }]);
    expect(first?.params.useremail).toBe('leu@altered-state.edu');
    expect(second).toMatchObject({ id: 'Spectrum 2', retentionTimeSeconds: 25 });
    expect(second?.precursors).toEqual([{ mz: 1084.9, intensity: 1234, charges: [2, 3] }]);
    expect(second?.params.scans).toBe(3);
    expect(second?.params.peak_charges).toBe('3,2,1,1,1,1');
    const pepmass = await collect(new MgfReader(fixture('mgf', 'test_pepmass.mgf')).spectra());
    expect(pepmass.map((s) => s.precursors[0])).toEqual([
      { mz: 983.6, intensity: 1234, charges: [2] },
      { mz: 983.6, intensity: 1234, charges: [2] },
      { mz: 983.6, intensity: 1234, charges: [3] },
    ]);
    expect(parseCharges('2+ and 3-')).toEqual([2, -3]);
  });

  it('a missing END IONS or a bad peak line is an InstrumentFileError with its byte offset', async () => {
    const text = await readFile(fixture('mgf', 'test.mgf'), 'utf8');
    const cut = join(tmp.dir, 'cut.mgf');
    await writeFile(cut, text.slice(0, text.lastIndexOf('END IONS')));
    await expect(collect(new MgfReader(cut).spectra())).rejects.toThrow(/END IONS for the last spectrum/);
    const bad = join(tmp.dir, 'bad.mgf');
    await writeFile(bad, text.replace('846.80 44', '846.80 forty-four'));
    const error = (await collect(new MgfReader(bad).spectra()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error.offset).toBe(Buffer.byteLength(text.slice(0, text.indexOf('846.80 44'))));
  });
});
