import { UserError } from '@platform/workers';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface TextStreamOptions {
  decompressor?: NodeJS.ReadWriteStream | undefined;
  /** Bytes the (decompressed) stream may produce before it fails as the user's. Default: no bound. */
  maxBytes?: number;
}

/**
 * Decompresses and decodes a byte stream, yielding text chunks. Reading is pulled, so a decompression
 * bomb inflates only as far as it is read, and fails at `maxBytes`.
 */
export async function* decodeText(body: Readable, options: TextStreamOptions = {}): AsyncGenerator<string> {
  const { decompressor, maxBytes = Infinity } = options;
  const out = new PassThrough();
  const done = decompressor ? pipeline(body, decompressor, out) : pipeline(body, out);
  // A failure is raised by the for-await below (the pipeline destroys `out` with it).
  done.catch(() => undefined);
  const decoder = new TextDecoder('utf-8');
  let produced = 0;
  try {
    for await (const chunk of out) {
      if (!Buffer.isBuffer(chunk)) throw new TypeError('a source body must be a byte stream');
      produced += chunk.length;
      if (produced > maxBytes) {
        throw new UserError(`the source is larger than ${maxBytes} bytes once decompressed (TURKIC_MAX_INFLATED_BYTES)`);
      }
      yield decoder.decode(chunk, { stream: true });
    }
  } finally {
    body.destroy();
  }
  yield decoder.decode();
}

/**
 * Splits text chunks into lines in linear time: each chunk is scanned once and a line that spans chunks
 * is joined once. A line longer than `maxLineChars` fails as the user's as soon as it is seen.
 */
export async function* splitLines(chunks: AsyncIterable<string>, maxLineChars: number): AsyncGenerator<string> {
  let pending: string[] = [];
  let pendingChars = 0;
  const checkLength = (chars: number) => {
    if (chars > maxLineChars) {
      throw new UserError(
        `a line of the source is longer than ${maxLineChars} characters (TURKIC_MAX_LINE_CHARS); text sources need one document per line`,
      );
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const head = chunk.slice(start, end);
      checkLength(pendingChars + head.length);
      yield pending.length === 0 ? head : pending.join('') + head;
      pending = [];
      pendingChars = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingChars += chunk.length - start;
      checkLength(pendingChars);
    }
  }
  if (pendingChars > 0) yield pending.join('');
}
