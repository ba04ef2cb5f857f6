import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentFileError } from '../src/errors.js';
import { ImzmlReader } from '../src/imzml/reader.js';
import { collect, fixture, tempDir } from './helpers.js';

interface Expected {
  coordinates: [number, number, number];
  length: number;
  mz_sum: number;
  intensity_sum: number;
  mz_head: number[];
  intensity_max: number;
}

const expected = JSON.parse(await readFile(fixture('imzml', 'expected-pyimzml.json'), 'utf8')) as Record<string, Expected[]>;

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

describe('imzML + ibd', () => {
  for (const name of ['Example_Continuous.imzML', 'Example_Processed.imzML']) {
    it(`${name}: pixels and arrays equal pyimzML's`, async () => {
      const spectra = await collect(new ImzmlReader(fixture('imzml', name)).spectra());
      const ref = expected[name] ?? [];
      expect(spectra).toHaveLength(ref.length);
      for (const [i, r] of ref.entries()) {
        const s = spectra[i];
        expect([s?.pixel?.x, s?.pixel?.y]).toEqual(r.coordinates.slice(0, 2));
        expect(s?.mz.length).toBe(r.length);
        expect(sum(s?.mz ?? new Float64Array())).toBeCloseTo(r.mz_sum, 3);
        expect(sum(s?.intensity ?? new Float64Array())).toBeCloseTo(r.intensity_sum, 6);
        expect(Array.from(s?.mz.subarray(0, 5) ?? [])).toEqual(r.mz_head);
        expect(Math.max(...(s?.intensity ?? []))).toBe(r.intensity_max);
        // and each pixel's intensities add up to the TIC the file itself records
        expect(sum(s?.intensity ?? new Float64Array())).toBeCloseTo(Number(s?.params['total ion current']), 6);
      }
    });
  }

  it('run: storage mode, instrument and pixel count', async () => {
    const run = await new ImzmlReader(fixture('imzml', 'Example_Processed.imzML')).run();
    expect(run).toMatchObject({ format: 'imzML', instrument: 'LTQ FT Ultra', spectrumCount: 9 });
    expect(run.metadata.storage).toBe('processed');
  });

  async function copy(name: string): Promise<string> {
    const imzml = join(tmp.dir, `${name}.imzML`);
    await copyFile(fixture('imzml', 'Example_Continuous.imzML'), imzml);
    await copyFile(fixture('imzml', 'Example_Continuous.ibd'), join(tmp.dir, `${name}.ibd`));
    return imzml;
  }

  it('a cut .ibd is an InstrumentFileError naming the .ibd and the offset', async () => {
    const imzml = await copy('cut');
    await truncate(join(tmp.dir, 'cut.ibd'), 100_000);
    const error = (await collect(new ImzmlReader(imzml).spectra()).catch((e: unknown) => e)) as InstrumentFileError;
    expect(error).toBeInstanceOf(InstrumentFileError);
    expect(error.file).toBe(join(tmp.dir, 'cut.ibd'));
    expect(error.offset).toBeGreaterThan(0);
    expect(error.message).toMatch(/bytes of the intensity array of "Scan=/);
  });

  it('an .ibd whose UUID differs from the .imzML is refused', async () => {
    const imzml = await copy('uuid');
    const ibd = join(tmp.dir, 'uuid.ibd');
    const bytes = await readFile(ibd);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    await writeFile(ibd, bytes);
    await expect(collect(new ImzmlReader(imzml).spectra())).rejects.toThrow(/UUID 554a27fa79d247669a2c862e6d78b1f3/);
  });
});
