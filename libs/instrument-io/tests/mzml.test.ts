import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentFileError } from '../src/errors.js';
import { MzmlReader } from '../src/mzml/reader.js';
import type { Spectrum } from '../src/types.js';
import { collect, exec, expectClose, fixture, pymzml, tempDir, type PymzmlSpectrum } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

function expectSameAs(ours: Spectrum[], ref: PymzmlSpectrum[], rel: number, abs = 0): void {
  expect(ours.map((s) => s.id)).toEqual(ref.map((s) => s.id));
  for (const [i, r] of ref.entries()) {
    const s = ours[i];
    if (!s) throw new Error('missing spectrum');
    expect(s.index).toBe(r.index);
    expect(s.msLevel).toBe(r.ms_level);
    if (r.rt_seconds === null) expect([undefined, -60]).toContain(s.retentionTimeSeconds);
    else expect(s.retentionTimeSeconds).toBeCloseTo(r.rt_seconds, 6);
    expect(s.precursors.map((p) => p.mz)).toEqual(r.precursor_mz);
    expectClose(s.mz, r.mz, rel, abs);
    expectClose(s.intensity, r.intensity, rel, abs);
  }
}

describe('mzML against pymzml', () => {
  for (const name of ['tiny.pwiz.1.1.mzML', 'test.mzML', 'example.mzML']) {
    it(`${name}: every spectrum's id, level, time, precursor and arrays`, async () => {
      const file = fixture('mzml', name);
      expectSameAs(await collect(new MzmlReader(file).spectra()), await pymzml(file), 1e-6);
    });
  }

  for (const name of ['tiny.numpress.mzML', 'test.numpress.mzML']) {
    it(`${name} (numpress linear/slof + zlib): equals OpenMS's decoding, read back by pymzml`, async () => {
      const file = fixture('mzml', name);
      const decoded = join(tmp.dir, `${name}.decoded.mzML`);
      await exec('FileConverter', ['-in', file, '-out', decoded, '-no_progress']);
      const ours = await collect(new MzmlReader(file).spectra());
      // FileConverter writes the decoded intensities as 32-bit floats
      expectSameAs(ours, await pymzml(decoded), 1e-6, 1e-9);
    });
  }

  it('numpress arrays stay within the documented error of the uncompressed original', async () => {
    const plain = await collect(new MzmlReader(fixture('mzml', 'test.mzML')).spectra());
    const packed = await collect(new MzmlReader(fixture('mzml', 'test.numpress.mzML')).spectra());
    for (const [i, s] of plain.entries()) {
      expectClose(packed[i]?.mz ?? [], s.mz, 1e-6);
      expectClose(packed[i]?.intensity ?? [], s.intensity, 5e-4, 1e-3);
    }
  });
});

describe('mzML structure', () => {
  it('reads run metadata, precursor details and chromatograms', async () => {
    const reader = new MzmlReader(fixture('mzml', 'tiny.pwiz.1.1.mzML'));
    const run = await reader.run();
    expect(run).toMatchObject({ format: 'indexedmzML', instrument: 'LCQ Deca', spectrumCount: 4, chromatogramCount: 2 });
    expect(run.started).toBe('2007-06-27T15:23:45.00035');
    const ms2 = await reader.get('scan=20');
    expect(ms2.precursors[0]).toMatchObject({ mz: 445.34, charges: [2], intensity: 120053, spectrumRef: 'scan=19' });
    expect(ms2.precursors[0]?.isolationTargetMz).toBe(445.3);
    expect(ms2.mode).toBe('profile');
    expect(ms2.polarity).toBe('positive');
    const chroms = await collect(reader.chromatograms());
    expect(chroms.map((c) => [c.id, c.time.length, c.unit])).toEqual([
      ['tic', 15, 'second'],
      ['sic', 10, 'second'],
    ]);
  });

  it('get() by id and by index reads through the offset index', async () => {
    const reader = new MzmlReader(fixture('mzml', 'tiny.pwiz.1.1.mzML'));
    const all = await collect(reader.spectra());
    for (const s of all) {
      expect((await reader.get(s.index)).mz).toEqual(s.mz);
      expect((await reader.get(s.id)).intensity).toEqual(s.intensity);
    }
    expect((await reader.run()).metadata.offsets_from).toBe('index');
    await expect(reader.get('scan=999')).rejects.toThrow(InstrumentFileError);
  });

  it('falls back to a scan when the index offsets are wrong', async () => {
    // test.mzML as published by pyteomics keeps the index of a larger original: every offset is wrong.
    const reader = new MzmlReader(fixture('mzml', 'test.mzML'));
    expect((await reader.get(1)).id).toBe('controllerType=0 controllerNumber=1 scan=2');
    expect((await reader.run()).metadata.offsets_from).toBe('scan');
    // and when one offset inside a valid index points at the wrong spectrum
    const text = await readFile(fixture('mzml', 'tiny.pwiz.1.1.mzML'), 'latin1');
    const broken = join(tmp.dir, 'wrong-offset.mzML');
    const right = /<offset idRef="scan=20">(\d+)<\/offset>/.exec(text)?.[1] ?? '';
    const wrong = /<offset idRef="scan=19">(\d+)<\/offset>/.exec(text)?.[1] ?? '';
    await writeFile(broken, text.replace(`<offset idRef="scan=20">${right}`, `<offset idRef="scan=20">${wrong}`), 'latin1');
    const spectrum = await new MzmlReader(broken).get('scan=20');
    expect(spectrum.msLevel).toBe(2);
  });

  it('an index that lists fewer spectra than the file holds (pymzML example.mzML: 10 of 11)', async () => {
    const reader = new MzmlReader(fixture('mzml', 'example.mzML'));
    expect((await reader.get('controllerType=0 controllerNumber=1 scan=11')).mz.length).toBe(1141);
    expect(await reader.run()).toMatchObject({ spectrumCount: 11, instrument: 'Q Exactive' });
    expect((await reader.get(10)).index).toBe(10);
  });

  it('numpress without zlib (linear time, pic intensity) in a chromatogram equals OpenMS decoding', async () => {
    const file = fixture('mzml', 'mini_numpress.chrom.mzML');
    const decoded = join(tmp.dir, 'mini.decoded.mzML');
    await exec('FileConverter', ['-in', file, '-out', decoded, '-no_progress']);
    const [ours] = await collect(new MzmlReader(file).chromatograms());
    const [openms] = await collect(new MzmlReader(decoded).chromatograms());
    expect(ours?.time.length).toBe(176);
    expectClose(ours?.time ?? [], openms?.time ?? [], 1e-9);
    expectClose(ours?.intensity ?? [], openms?.intensity ?? [], 1e-6);
    expect(ours?.intensity.some((v) => v > 0)).toBe(true);
    expect(ours?.intensity.every((v) => Number.isInteger(v))).toBe(true);
  });

  it('reads a plain (non-indexed) mzML', async () => {
    const text = await readFile(fixture('mzml', 'tiny.pwiz.1.1.mzML'), 'latin1');
    const start = text.indexOf('<mzML');
    const end = text.indexOf('</mzML>') + '</mzML>'.length;
    const plain = join(tmp.dir, 'plain.mzML');
    await writeFile(plain, `<?xml version="1.0" encoding="ISO-8859-1"?>\n${text.slice(start, end)}\n`, 'latin1');
    const reader = new MzmlReader(plain);
    expect(await reader.run()).toMatchObject({ format: 'mzML', spectrumCount: 4, chromatogramCount: 2 });
    expect((await reader.get('scan=20')).precursors[0]?.mz).toBe(445.34);
  });
});

describe('mzML corrupt input', () => {
  it('truncated base64 names the file, the offset and the array', async () => {
    const text = await readFile(fixture('mzml', 'tiny.pwiz.1.1.mzML'), 'latin1');
    const binary = text.indexOf('<binary>') + '<binary>'.length;
    const broken = join(tmp.dir, 'truncated-base64.mzML');
    await writeFile(broken, text.slice(0, binary) + text.slice(binary + 7), 'latin1');
    const error = await collect(new MzmlReader(broken).spectra()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstrumentFileError);
    const e = error as InstrumentFileError;
    expect(e.file).toBe(broken);
    expect(e.offset).toBeGreaterThan(0);
    expect(e.message).toMatch(/array of spectrum "scan=19"/);
  });

  it('a file cut in the middle is an error, not a short run', async () => {
    const text = await readFile(fixture('mzml', 'test.mzML'), 'latin1');
    const cut = join(tmp.dir, 'cut.mzML');
    await writeFile(cut, text.slice(0, Math.floor(text.length * 0.6)), 'latin1');
    const error = (await collect(new MzmlReader(cut).spectra()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error).toBeInstanceOf(InstrumentFileError);
    expect(error.message).toMatch(/well-formed XML/);
  });

  it('a corrupt zlib stream is an error', async () => {
    const text = await readFile(fixture('mzml', 'test.mzML'), 'latin1');
    const zlibbed = /zlib compression[^]*?<binary>/.exec(text);
    if (zlibbed?.index === undefined) throw new Error('fixture changed');
    const at = zlibbed.index + zlibbed[0].length + 40;
    const broken = join(tmp.dir, 'zlib.mzML');
    await writeFile(broken, text.slice(0, at) + 'AAAA' + text.slice(at + 4), 'latin1');
    await expect(collect(new MzmlReader(broken).spectra())).rejects.toThrow(InstrumentFileError);
  });
});
