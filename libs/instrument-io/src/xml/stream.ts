import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { InstrumentFileError } from '../errors.js';

/** What a format's SAX handler sees; `offset()` is the byte position the parser has reached. */
export interface XmlHandler<T> {
  open(tag: SaxesTagPlain): void;
  close(name: string): void;
  /** Called only while `wantsText()` is true, so whitespace between tags costs nothing. */
  text(text: string): void;
  wantsText(): boolean;
  /** Items completed so far; the driver drains it after every chunk. */
  readonly ready: T[];
  /** Set by the driver: the byte offset the parser has reached, for error messages. */
  locate: () => number;
}

export interface StreamOptions {
  start?: number;
  end?: number;
  /** Stop reading once this returns true (checked after each chunk). */
  done?: () => boolean;
}

const CHUNK = 1 << 20;

export function makeParser<T>(handler: XmlHandler<T>): SaxesParser {
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', (tag) => {
    handler.open(tag);
  });
  parser.on('closetag', (tag) => {
    handler.close(tag.name);
  });
  parser.on('text', (text) => {
    if (handler.wantsText()) handler.text(text);
  });
  parser.on('cdata', (text) => {
    if (handler.wantsText()) handler.text(text);
  });
  return parser;
}

/** Streams an XML file through a handler in 1 MiB chunks, yielding items as they complete. */
export async function* streamXml<T>(
  file: string,
  handler: XmlHandler<T>,
  options: StreamOptions = {},
): AsyncGenerator<T> {
  const parser = makeParser(handler);
  const decoder = new TextDecoder(await detectEncoding(file));
  const base = options.start ?? 0;
  let bytes = base;
  let chars = 0;
  const where = (): number => bytes + Math.max(0, parser.position - chars);
  handler.locate = where;
  const fail = (cause: unknown): never => {
    if (cause instanceof InstrumentFileError) throw cause;
    throw new InstrumentFileError(file, where(), `well-formed XML (${(cause as Error).message})`, { cause });
  };
  const stream = createReadStream(file, { start: base, end: options.end, highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      try {
        parser.write(text);
      } catch (cause) {
        fail(cause);
      }
      bytes += chunk.length;
      chars += text.length;
      yield* handler.ready.splice(0);
      if (options.done?.()) return;
    }
    try {
      parser.write(decoder.decode());
      parser.close();
    } catch (cause) {
      fail(cause);
    }
    yield* handler.ready.splice(0);
  } finally {
    stream.destroy();
  }
}

/** Parses one in-memory XML element (an indexed spectrum) with a handler. */
export function parseFragment<T>(file: string, offset: number, xml: string, handler: XmlHandler<T>): T[] {
  const parser = makeParser(handler);
  handler.locate = () => offset + parser.position;
  try {
    parser.write(xml).close();
  } catch (cause) {
    if (cause instanceof InstrumentFileError) throw cause;
    throw new InstrumentFileError(file, offset + parser.position, `well-formed XML (${(cause as Error).message})`, {
      cause,
    });
  }
  return handler.ready.splice(0);
}

/** ASCII-compatible encodings only: the declared one when it is Latin-1, else UTF-8. */
async function detectEncoding(file: string): Promise<string> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(200);
    const { bytesRead } = await handle.read(head, 0, 200, 0);
    const decl = /encoding=["']([^"']+)["']/i.exec(head.subarray(0, bytesRead).toString('latin1'));
    return decl?.[1] && /^(iso-8859-1|latin-?1|us-ascii)$/i.test(decl[1]) ? 'latin1' : 'utf-8';
  } finally {
    await handle.close();
  }
}

export function attr(tag: SaxesTagPlain, name: string): string | undefined {
  return tag.attributes[name];
}

/** A number from text, or the text itself when it is not numeric. */
export function paramValue(value: string | undefined): string | number | boolean {
  if (value === undefined || value === '') return true;
  const n = Number(value);
  return Number.isFinite(n) && value.trim() !== '' ? n : value;
}
