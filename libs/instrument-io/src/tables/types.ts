export type CellValue = string | number | boolean | null;

/** A table read from a file: the first row names the columns; empty cells are null. */
export interface Table {
  columns: string[];
  rows: Array<Record<string, CellValue>>;
}

export function toRecord(columns: string[], values: CellValue[]): Record<string, CellValue> {
  const row: Record<string, CellValue> = {};
  columns.forEach((c, i) => {
    row[c] = values[i] ?? null;
  });
  return row;
}

/** Header names made unique and never empty ("", "a", "a" -> "column_1", "a", "a_2"). */
export function uniqueColumns(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const base = raw.trim() || `column_${String(i + 1)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${String(n)}`;
  });
}
