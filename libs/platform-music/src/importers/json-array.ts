import { ExportFormatError } from '../errors.js';

export interface ArrayEntry {
  value: Record<string, unknown>;
  /** 1-based position in the array. */
  entry: number;
  /** Line where the entry starts. */
  line: number;
}

const MAX_ENTRY_CHARS = 1 << 20;
const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA] = [34, 92, 123, 125, 91, 93, 44];

function trailingBackslashes(text: string, end: number): number {
  let count = 0;
  while (end - count - 1 >= 0 && text.charCodeAt(end - count - 1) === BACKSLASH) count++;
  return count;
}
type State = 'before' | 'between' | 'inside' | 'after';
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;

/**
 * Streams the objects of a top-level JSON array (a Spotify or Takeout export) in bounded memory: it
 * finds each object's extent with a small scanner and parses it with the native JSON.parse, so only one
 * entry is held at a time and an error names the line and entry at fault.
 */
export async function* jsonArrayObjects(chunks: AsyncIterable<Uint8Array>, file?: string): AsyncGenerator<ArrayEntry> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = (message: string, where: { line?: number; entry?: number }): never => {
    throw new ExportFormatError(message, { ...(file !== undefined && { file }), ...where });
  };
  let state: State = 'before';
  let expectValue = true;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let entry = 0;
  let carry = '';

  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      // The fatal decoder's TypeError says only that the bytes are not UTF-8: fail() throws that, with the line.
      return fail('the file is not UTF-8 text', { line });
    }
  };
  const parse = (text: string): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail(`invalid JSON: ${(error as Error).message}`, { line: startLine, entry });
    }
    return value as Record<string, unknown>;
  };

  /** Lines are counted lazily (native indexOf) up to the positions that need one. */
  let counted = 0;
  const lineAt = (text: string, position: number): number => {
    for (let at = text.indexOf('\n', counted); at !== -1 && at < position; at = text.indexOf('\n', at + 1)) line++;
    counted = position;
    return line;
  };

  for await (const chunk of chunks) {
    const text = decode(chunk);
    counted = 0;
    let start = 0;
    let i = 0;
    while (i < text.length) {
      if (state === 'inside') {
        if (inString) {
          // A quote ends the string unless an odd run of backslashes precedes it; `escaped` carries
          // such a run over from the previous chunk.
          const quote = text.indexOf('"', i);
          const end = quote === -1 ? text.length : quote;
          const run = trailingBackslashes(text, end);
          const odd: boolean = (run + (escaped && run === end ? 1 : 0)) % 2 === 1;
          escaped = false;
          if (quote === -1) {
            escaped = odd;
            i = text.length;
            break;
          }
          if (!odd) inString = false;
          i = quote + 1;
          continue;
        }
        const c = text.charCodeAt(i++);
        if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
          const value = parse(carry + text.slice(start, i));
          carry = '';
          state = 'between';
          expectValue = false;
          yield { value, entry, line: startLine };
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (state === 'before') {
        if (c !== OPEN_BRACKET) fail('expected a JSON array of entries', { line: lineAt(text, i) });
        state = 'between';
      } else if (state === 'after') {
        fail('unexpected content after the array', { line: lineAt(text, i) });
      } else if (c === CLOSE_BRACKET && !(expectValue && entry > 0)) {
        state = 'after';
      } else if (c === COMMA && !expectValue) {
        expectValue = true;
      } else if (c === OPEN_BRACE && expectValue) {
        entry++;
        state = 'inside';
        depth = 1;
        start = i;
        startLine = lineAt(text, i);
      } else {
        fail(expectValue ? 'each entry must be a JSON object' : "expected ',' or ']' after an entry", {
          line: lineAt(text, i),
          entry: entry + (expectValue ? 1 : 0),
        });
      }
      i++;
    }
    lineAt(text, text.length);
    if (state === 'inside') {
      carry += text.slice(start);
      if (carry.length > MAX_ENTRY_CHARS) fail('entry is larger than 1 MiB', { line: startLine, entry });
    }
  }
  decode();
  if (state !== 'after') fail(state === 'before' ? 'the file is empty' : 'the file ends inside the array (truncated?)', { line });
}
