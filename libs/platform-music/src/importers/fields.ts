import { ExportFormatError } from '../errors.js';

/** Where an entry came from, for error messages. */
export interface Origin {
  file?: string;
  line?: number;
  entry?: number;
}

export function optionalString(record: Record<string, unknown>, key: string, origin: Origin): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ExportFormatError(`"${key}" must be a string`, origin);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function requiredString(record: Record<string, unknown>, key: string, origin: Origin): string {
  const value = optionalString(record, key, origin);
  if (value === undefined) throw new ExportFormatError(`"${key}" is missing`, origin);
  return value;
}

export function optionalCount(record: Record<string, unknown>, key: string, origin: Origin): number | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw new ExportFormatError(`"${key}" must be a non-negative number`, origin);
  }
  return number;
}

/** Parses an ISO-8601 instant; a time without an offset is taken as UTC (as the exports write them). */
export function instant(text: string, key: string, origin: Origin): number {
  const normalised = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) throw new ExportFormatError(`"${key}" is not a date-time: ${JSON.stringify(text.slice(0, 40))}`, origin);
  return ms;
}
