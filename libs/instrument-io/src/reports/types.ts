import type { CellValue } from '../tables/types.js';

export interface ReportTable {
  columns: string[];
  rows: CellValue[][];
}

export interface ReportSection {
  heading: string;
  paragraphs?: string[];
  table?: ReportTable;
}

/** One report, written the same way to Excel (a sheet per table), Word and PDF. */
export interface Report {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
}

export function cellText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
  return String(v);
}
