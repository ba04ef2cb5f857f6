import ExcelJS from 'exceljs';
import { InstrumentFileError } from '../errors.js';
import { toRecord, uniqueColumns, type CellValue, type Table } from './types.js';

/** Sheet names of an .xlsx/.xlsm workbook, in order. */
export async function excelSheets(path: string): Promise<string[]> {
  return (await load(path)).worksheets.map((w) => w.name);
}

/** One sheet (the first by default) as a table: dates become ISO strings, formulas their results. */
export async function readExcel(path: string, sheet?: string): Promise<Table> {
  const book = await load(path);
  const ws = sheet === undefined ? book.worksheets[0] : book.getWorksheet(sheet);
  if (!ws) {
    throw new InstrumentFileError(
      path,
      undefined,
      `a sheet ${sheet === undefined ? '' : `"${sheet}" `}(sheets: ${book.worksheets.map((w) => w.name).join(', ')})`,
    );
  }
  const grid: CellValue[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, number) => {
    const values: CellValue[] = [];
    for (let c = 1; c <= ws.columnCount; c++) values.push(cellValue(row.getCell(c).value));
    grid[number - 1] = values;
  });
  const [header = [], ...body] = grid;
  const columns = uniqueColumns(header.map((v) => (v === null ? '' : String(v))));
  return { columns, rows: body.filter((r) => r.some((v) => v !== null)).map((r) => toRecord(columns, r)) };
}

async function load(path: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(path);
  } catch (cause) {
    throw new InstrumentFileError(path, undefined, `an .xlsx workbook (${(cause as Error).message})`, { cause });
  }
  return book;
}

function cellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if ('result' in v) return cellValue(v.result);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return v.text;
  if ('error' in v) return v.error;
  return null;
}
