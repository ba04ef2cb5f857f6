import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { MgfReader } from '../src/mgf/reader.js';
import { MzmlReader } from '../src/mzml/reader.js';
import { collect, exec, fixture, pymzml, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errors: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  err.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await runCli(args, out, err);
  return { code, out: chunks.join(''), err: errors.join('') };
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('instrument-io CLI', () => {
  it('summary: one JSON object with counts per ms level', async () => {
    const { code, out } = await cli('summary', fixture('mzml', 'tiny.pwiz.1.1.mzML'));
    expect(code).toBe(0);
    const summary = JSON.parse(out) as Record<string, unknown>;
    expect(summary).toMatchObject({ format: 'indexedmzML', spectra: 4, chromatograms: 2, ms_levels: { '1': 3, '2': 1 } });
    expect(summary.metadata).toMatchObject({ instrument: 'LCQ Deca' });
  });

  it('spectra: JSON lines, filtered by ms level and limited', async () => {
    const { out } = await cli('spectra', fixture('mzxml', 'test.mzXML'), '--ms-level', '2');
    const [ms2, ...rest] = lines(out);
    expect(rest).toHaveLength(0);
    expect(ms2).toMatchObject({ index: 1, id: '20', ms_level: 2, rt_seconds: 356.68, precursor_mz: 445.35 });
    expect(ms2?.mz).toHaveLength(43);
    expect(lines((await cli('spectra', fixture('mzml', 'tiny.pwiz.1.1.mzML'), '--limit', '2')).out)).toHaveLength(2);
  });

  it('chromatograms: JSON lines with id, unit, time and intensity', async () => {
    const rows = lines((await cli('chromatograms', fixture('mzml', 'tiny.pwiz.1.1.mzML'))).out);
    expect(rows.map((r) => [r.id, r.unit, (r.time as number[]).length])).toEqual([
      ['tic', 'second', 15],
      ['sic', 'second', 10],
    ]);
  });

  it('bad input: exit code 2 and one readable line', async () => {
    for (const args of [
      ['summary', join(tmp.dir, 'missing.mzML')],
      ['spectra', fixture('mgf', 'test.mgf'), '--limit', 'many'],
      ['frobnicate', fixture('mgf', 'test.mgf')],
      ['summary'],
      ['convert', fixture('mgf', 'test.mgf'), '--to', 'pdf', join(tmp.dir, 'x')],
      ['summary', fixture('SOURCES.md')],
      ['spectra', fixture('mzml', 'test.mzML'), '--bogus'],
    ]) {
      const { code, err, out } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(out).toBe('');
    }
  });

  it('convert --to mzml writes an indexedmzML that OpenMS validates and pymzml reads back', async () => {
    const out = join(tmp.dir, 'converted.mzML');
    expect((await cli('convert', fixture('mzml', 'tiny.pwiz.1.1.mzML'), '--to', 'mzml', out)).code).toBe(0);
    expect(await exec('FileInfo', ['-in', out, '-v'])).toMatch(/the file is semantically valid/);
    expect(await exec('FileInfo', ['-in', out, '-i'])).toMatch(/valid indexed mzML XML File with 4 spectra and 2 chromatograms/);
    const original = await collect(new MzmlReader(fixture('mzml', 'tiny.pwiz.1.1.mzML')).spectra());
    const ref = await pymzml(out);
    expect(ref.map((r) => [r.id, r.ms_level, r.precursor_mz, r.mz])).toEqual(
      original.map((s) => [s.id, s.msLevel, s.precursors.map((p) => p.mz), Array.from(s.mz)]),
    );
    const reader = new MzmlReader(out);
    expect((await reader.run()).metadata.offsets_from).toBe('index');
    expect((await reader.get('scan=20')).precursors[0]?.charges).toEqual([2]);
  });

  it('convert --to mgf, csv and xlsx', async () => {
    const source = fixture('mzxml', 'test.mzXML');
    const mgf = join(tmp.dir, 'out.mgf');
    await cli('convert', source, '--to', 'mgf', mgf);
    const [only, ...none] = await collect(new MgfReader(mgf).spectra());
    expect(none).toHaveLength(0);
    expect(only).toMatchObject({ id: '20', retentionTimeSeconds: 356.68 });
    expect(only?.precursors[0]).toMatchObject({ mz: 445.35, intensity: 120053 });
    expect(only?.mz).toHaveLength(43);

    const csv = join(tmp.dir, 'out.csv');
    await cli('convert', source, '--to', 'csv', csv);
    const rows = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('spectrum_index,spectrum_id,ms_level,rt_seconds,mz,intensity');
    expect(rows).toHaveLength(1 + 1313 + 43);

    const xlsx = join(tmp.dir, 'out.xlsx');
    await cli('convert', source, '--to', 'xlsx', xlsx);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    expect(book.getWorksheet('spectra')?.rowCount).toBe(3);
    expect(book.getWorksheet('peaks')?.rowCount).toBe(1 + 1313 + 43);
    expect(book.getWorksheet('spectra')?.getRow(3).getCell(5).value).toBe(445.35);
  });

  it('runs as a program through tsx with exit code 2 on bad input', async () => {
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const error = await promisify(execFile)(tsx, [cliPath, 'summary', join(tmp.dir, 'nothing.mzML')]).catch(
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/^instrument-io: .*nothing\.mzML: expected an existing file/);
  });
});
