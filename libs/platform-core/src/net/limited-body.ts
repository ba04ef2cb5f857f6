import { Readable } from 'node:stream';
import { refuse } from './fetch-error.js';

/**
 * The response body as a byte stream that fails once more than `maxBytes` arrive, stopping the upstream
 * read there, and whose errors pass through `toFailure` (so a reader only ever sees the generic error).
 * `onClose` runs when the stream closes for any reason: end, error, or the reader destroying it.
 */
export function limitedBody(source: Readable, maxBytes: number, toFailure: (error: unknown) => Error, onClose: () => void): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let received = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > maxBytes) throw refuse('too_large', `body exceeds ${String(maxBytes)} bytes`);
        yield chunk;
      }
    } catch (error) {
      throw toFailure(error);
    }
  }
  const body = Readable.from(chunks(), { objectMode: false });
  body.once('close', () => {
    discard(source);
    onClose();
  });
  return body;
}

/** Ends a body nobody will read; the abort error that undici then emits is expected, not a fault. */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads a whole stream into one buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
