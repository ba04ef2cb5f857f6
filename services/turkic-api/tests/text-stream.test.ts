import { UserError } from '@platform/workers';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { wikipediaArticles } from '../src/corpus/sources.js';
import { decodeText, splitLines } from '../src/corpus/text-stream.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const streamOf = (items: Iterable<string>): AsyncIterable<string> => Readable.from(items);

function* pieces(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}
const chunked = (text: string, size: number) => streamOf(pieces(text, size));

describe('splitLines', () => {
  it('joins lines across chunks and keeps a last line without newline', async () => {
    const chunks = streamOf(['ab', 'c\nd', '', 'e\n\nf', 'g']);
    expect(await collect(splitLines(chunks, 100))).toEqual(['abc', 'de', '', 'fg']);
  });

  it('splits a 40 MB line arriving in 16 KB chunks in linear time', async () => {
    const started = Date.now();
    const [line] = await collect(splitLines(chunked('a'.repeat(40 * 1024 * 1024), 16 * 1024), Infinity));
    expect(line).toHaveLength(40 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fails as the user's error once a line passes the limit, without reading on", async () => {
    let read = 0;
    const endless = function* () {
      for (;;) {
        read += 1;
        yield 'a'.repeat(1000);
      }
    };
    await expect(collect(splitLines(streamOf(endless()), 10_000))).rejects.toThrow(
      new UserError(
        'a line of the source is longer than 10000 characters (TURKIC_MAX_LINE_CHARS); text sources need one document per line',
      ),
    );
    expect(read).toBeLessThanOrEqual(12);
  });
});

describe('decodeText', () => {
  it('inflates only as far as it is read and fails past maxBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const chunks = decodeText(Readable.from([bomb]), { decompressor: createGunzip(), maxBytes: 1024 * 1024 });
    await expect(collect(chunks)).rejects.toThrow('larger than 1048576 bytes once decompressed (TURKIC_MAX_INFLATED_BYTES)');
  });

  it('decodes UTF-8 split between chunks', async () => {
    const bytes = Buffer.from('Қазақ');
    const text = await collect(decodeText(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)])));
    expect(text.join('')).toBe('Қазақ');
  });
});

describe('wikipediaArticles', () => {
  const page = (text: string) => `<page><ns>0</ns><revision><text>${text}</text></revision></page>`;

  it('fails on a text node longer than maxDocumentChars, whole or still unterminated', async () => {
    const whole = `<mediawiki>${page('Бір сөйлем. ')}${page('а'.repeat(5000))}</mediawiki>`;
    await expect(collect(wikipediaArticles(chunked(whole, 64 * 1024), 1000))).rejects.toThrow('(TURKIC_MAX_DOCUMENT_CHARS)');
    const unterminated = `<mediawiki><page><ns>0</ns><revision><text>${'а'.repeat(5000)}`;
    await expect(collect(wikipediaArticles(chunked(unterminated, 100), 1000))).rejects.toThrow('longer than 1000 characters');
  });

  it('reads articles under the limit', async () => {
    const xml = `<mediawiki>${page('Бірінші мақала.')}${page('Екінші мақала.')}</mediawiki>`;
    expect(await collect(wikipediaArticles(chunked(xml, 7), 1000))).toEqual(['Бірінші мақала.', 'Екінші мақала.']);
  });
});
