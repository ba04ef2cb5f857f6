import { gunzipSync } from 'node:zlib';

export type CorpusFormat = 'auto' | 'text' | 'lines' | 'jsonl';

export class CorpusError extends Error {}

const GZIP_MAGIC = [0x1f, 0x8b];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The corpus bytes as text: gunzipped when gzip, strict UTF-8 (a BOM is dropped), never empty. */
export function corpusText(bytes: Uint8Array, maxBytes: number): string {
  let body = bytes;
  if (body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1]) {
    try {
      body = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      throw new CorpusError(
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `the corpus unpacks to more than ${String(maxBytes)} bytes`
          : 'the corpus is not a valid gzip file',
      );
    }
  }
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new CorpusError('the corpus is not UTF-8 text');
  }
  if (text.includes('\u0000')) throw new CorpusError('the corpus is binary (it contains NUL characters), not text');
  if (text.trim() === '') throw new CorpusError('the corpus is empty');
  return text;
}

const isJsonObjectLine = (line: string) => line.startsWith('{') && line.endsWith('}');

function jsonlDocuments(text: string, field: string): string[] {
  const documents: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new CorpusError(`line ${String(index + 1)} of the jsonl corpus is not JSON`);
    }
    const value: unknown = typeof record === 'object' && record !== null ? Reflect.get(record, field) : undefined;
    if (typeof value !== 'string') throw new CorpusError(`line ${String(index + 1)} of the jsonl corpus has no string field "${field}"`);
    if (value.trim() !== '') documents.push(value);
  });
  return documents;
}

/**
 * Documents of a corpus: `text` splits at blank lines (paragraphs, speeches), `lines` takes each line
 * (a turkic-api corpus result: one sentence a line), `jsonl` each record's `field`. `auto` reads jsonl
 * when the first line is a JSON object, else text.
 */
export function splitDocuments(text: string, format: CorpusFormat, field: string): { documents: string[]; format: CorpusFormat } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const first = normalised.trimStart().split('\n', 1)[0]?.trim() ?? '';
  const resolved = format === 'auto' ? (isJsonObjectLine(first) ? 'jsonl' : 'text') : format;
  let documents: string[];
  if (resolved === 'jsonl') documents = jsonlDocuments(normalised, field);
  else if (resolved === 'lines') documents = normalised.split('\n').filter((line) => line.trim() !== '');
  else
    documents = normalised
      .split(/\n[ \t]*\n+/)
      .map((document) => document.replace(/^\n+|\n+$/g, ''))
      .filter((document) => document.trim() !== '');
  if (documents.length === 0) throw new CorpusError('the corpus has no documents');
  return { documents, format: resolved };
}
