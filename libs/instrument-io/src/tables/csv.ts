import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { InstrumentFileError } from '../errors.js';
import { toRecord, uniqueColumns, type CellValue, type Table } from './types.js';

/**
 * A CSV (or other delimited) file as a table. Numbers stay numbers, empty cells are null; the
 * delimiter is the most frequent of , ; and tab in the first line unless given.
 */
export async function readCsv(path: string, options: { delimiter?: string } = {}): Promise<Table> {
  const delimiter = options.delimiter ?? (await sniffDelimiter(path));
  const records: CellValue[][] = [];
  try {
    const parser = createReadStream(path).pipe(
      parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
    );
    for await (const record of parser as AsyncIterable<string[]>) records.push(record.map(cell));
  } catch (cause) {
    const offset = (cause as { bytes?: number }).bytes;
    throw new InstrumentFileError(path, offset, `CSV (${(cause as Error).message})`, { cause });
  }
  const [header = [], ...body] = records;
  const columns = uniqueColumns(header.map((v) => (v === null ? '' : String(v))));
  return { columns, rows: body.map((r) => toRecord(columns, r)) };
}

function cell(text: string): CellValue {
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && /^[-+]?(\d|\.\d)/.test(text) ? n : text;
}

async function sniffDelimiter(path: string): Promise<string> {
  const stream = createReadStream(path, { start: 0, end: 64 * 1024 - 1 });
  let head = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) head += chunk.toString('utf8');
  const firstLine = head.split(/\r?\n/)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}
