import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentFileError } from '../src/errors.js';
import { writeExcelReport, writePdfReport, writeWordReport } from '../src/reports/writers.js';
import type { Report } from '../src/reports/types.js';
import { readCsv } from '../src/tables/csv.js';
import { readDocxText, readPdfText } from '../src/tables/documents.js';
import { excelSheets, readExcel } from '../src/tables/excel.js';
import { fixture, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

const report: Report = {
  title: 'Run summary',
  subtitle: 'orange.D, 14-Nov-19',
  sections: [
    { heading: 'Overview', paragraphs: ['469 MS scans and one ELSD trace.', 'Method PURITY_HPLC.M'] },
    {
      heading: 'Peaks: top/5',
      table: {
        columns: ['rt_min', 'mz', 'intensity', 'note'],
        rows: [
          [0.0237, 1000, 1287, null],
          [1.5, 997.3, 202, 'shoulder'],
          [2.25, 993.3, 570.125, 'β-carotene'],
        ],
      },
    },
  ],
};

describe('tables', () => {
  it('CSV: a real rainbow output file, numbers typed', async () => {
    const csv = join(tmp.dir, 'ADC1A.csv');
    await writeFile(csv, gunzipSync(await readFile(fixture('chemstation', 'expected', 'orange', 'ADC1A.csv.gz'))));
    const table = await readCsv(csv);
    expect(table.columns).toEqual(['RT (min)', 'column_2']);
    expect(table.rows).toHaveLength(1787);
    expect(typeof table.rows[0]?.['RT (min)']).toBe('number');
  });

  it('CSV: semicolons, quotes, empty cells, duplicate headers', async () => {
    const csv = join(tmp.dir, 'semi.csv');
    await writeFile(csv, '\uFEFFname;value;value\n"a; b";1,5;\nc;-2;7\n');
    const table = await readCsv(csv);
    expect(table.columns).toEqual(['name', 'value', 'value_2']);
    expect(table.rows).toEqual([
      { name: 'a; b', value: '1,5', value_2: null },
      { name: 'c', value: -2, value_2: 7 },
    ]);
  });

  it('CSV: an unterminated quote is an InstrumentFileError', async () => {
    const csv = join(tmp.dir, 'bad.csv');
    await writeFile(csv, 'a,b\n"x,1\n');
    await expect(readCsv(csv)).rejects.toThrow(InstrumentFileError);
  });
});

describe('reports round trip through the readers', () => {
  it('Excel: a cover sheet and one sheet per table, read back with headers', async () => {
    const path = join(tmp.dir, 'report.xlsx');
    await writeExcelReport(path, report);
    expect(await excelSheets(path)).toEqual(['report', 'Peaks  top 5']);
    const table = await readExcel(path, 'Peaks  top 5');
    expect(table.columns).toEqual(['rt_min', 'mz', 'intensity', 'note']);
    expect(table.rows[2]).toEqual({ rt_min: 2.25, mz: 993.3, intensity: 570.125, note: 'β-carotene' });
    expect(table.rows[0]?.note).toBeNull();
    await expect(readExcel(path, 'missing')).rejects.toThrow(/sheets: report, Peaks {2}top 5/);
  });

  it('Word: headings, paragraphs and table cells', async () => {
    const path = join(tmp.dir, 'report.docx');
    await writeWordReport(path, report);
    const paragraphs = await readDocxText(path);
    expect(paragraphs.slice(0, 4)).toEqual(['Run summary', 'orange.D, 14-Nov-19', 'Overview', '469 MS scans and one ELSD trace.']);
    expect(paragraphs).toContain('β-carotene');
    expect(paragraphs).toContain('570.125');
  });

  it('PDF: the text of every page', async () => {
    const path = join(tmp.dir, 'report.pdf');
    await writePdfReport(path, report);
    const [page, ...more] = await readPdfText(path);
    expect(more).toHaveLength(0);
    for (const text of ['Run summary', 'Overview', 'Method PURITY_HPLC.M', 'shoulder', '993.3']) expect(page).toContain(text);
  });

  it('corrupt documents are InstrumentFileErrors', async () => {
    const junk = join(tmp.dir, 'junk.bin');
    await writeFile(junk, 'this is not a document');
    await expect(readPdfText(junk)).rejects.toThrow(InstrumentFileError);
    await expect(readDocxText(junk)).rejects.toThrow(InstrumentFileError);
    await expect(readExcel(junk)).rejects.toThrow(InstrumentFileError);
  });
});
