import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { InstrumentFileError } from '../errors.js';
import { PayloadSplitter } from './payload.js';

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
  /** The element whose content (base64) bypasses the parser and arrives through `payload`. */
  readonly payloadTag?: string;
  payload?(bytes: Buffer): void;
}

export interface StreamOptions {
  start?: number;
  end?: number;
  /** Stop reading once this returns true (checked after each chunk). */
  done?: () => boolean;
}

const CHUNK = 1 << 20;

function makeParser<T>(handler: XmlHandler<T>): SaxesParser {
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

/** Feeds bytes to a parser, splitting out the handler's payload element; tracks byte offsets. */
function feeder<T>(parser: SaxesParser, handler: XmlHandler<T>, encoding: string) {
  const decoder = new TextDecoder(encoding);
  let pieceOffset = 0;
  let pieceChars = 0;
  handler.locate = () => pieceOffset + Math.max(0, parser.position - pieceChars);
  const xml = (bytes: Buffer, offset: number): void => {
    pieceOffset = offset;
    pieceChars = parser.position;
    parser.write(decoder.decode(bytes, { stream: true }));
  };
  const splitter = handler.payloadTag ? new PayloadSplitter(handler.payloadTag, xml, (bytes) => handler.payload?.(bytes)) : undefined;
  return {
    write: (bytes: Buffer, offset: number) => {
      if (splitter) splitter.write(bytes, offset);
      else xml(bytes, offset);
    },
    end: () => {
      splitter?.end();
      parser.write(decoder.decode());
      parser.close();
    },
  };
}

/** Streams an XML file through a handler in 1 MiB chunks, yielding items as they complete. */
export async function* streamXml<T>(file: string, handler: XmlHandler<T>, options: StreamOptions = {}): AsyncGenerator<T> {
  const parser = makeParser(handler);
  const feed = feeder(parser, handler, await detectEncoding(file));
  let bytes = options.start ?? 0;
  const fail = (cause: unknown): never => {
    if (cause instanceof InstrumentFileError) throw cause;
    throw new InstrumentFileError(file, handler.locate(), `well-formed XML (${(cause as Error).message})`, { cause });
  };
  const stream = createReadStream(file, { start: bytes, end: options.end, highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        feed.write(chunk, bytes);
      } catch (cause) {
        fail(cause);
      }
      bytes += chunk.length;
      yield* handler.ready.splice(0);
      if (options.done?.()) return;
    }
    try {
      feed.end();
    } catch (cause) {
      fail(cause);
    }
    yield* handler.ready.splice(0);
  } finally {
    stream.destroy();
  }
}

/** Parses one element read from the file (an indexed spectrum) with a handler. */
export function parseFragment<T>(file: string, offset: number, bytes: Buffer, handler: XmlHandler<T>): T[] {
  const parser = makeParser(handler);
  const feed = feeder(parser, handler, 'utf-8');
  try {
    feed.write(bytes, offset);
    feed.end();
  } catch (cause) {
    if (cause instanceof InstrumentFileError) throw cause;
    throw new InstrumentFileError(file, handler.locate(), `well-formed XML (${(cause as Error).message})`, { cause });
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

/** A number from text, or the text itself when it is not numeric. */
export function paramValue(value: string | undefined): string | number | boolean {
  if (value === undefined || value === '') return true;
  const n = Number(value);
  return Number.isFinite(n) && value.trim() !== '' ? n : value;
}
