import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PayloadSplitter } from '../src/xml/payload.js';
import { fixture } from './helpers.js';

/** Feeds `bytes` in pieces of `size` and returns the XML seen by the parser and the payloads. */
function split(bytes: Buffer, tag: string, size: number) {
  const xml: Buffer[] = [];
  const offsets: number[] = [];
  const payloads: string[] = [];
  const splitter = new PayloadSplitter(
    tag,
    (b, at) => {
      offsets.push(at);
      xml.push(Buffer.from(b));
    },
    (b) => payloads.push(b.toString('latin1')),
  );
  for (let at = 0; at < bytes.length; at += size) splitter.write(bytes.subarray(at, at + size), at);
  splitter.end();
  return { xml: Buffer.concat(xml).toString('latin1'), payloads, offsets };
}

describe('payload splitter', () => {
  it('gives the same XML and payloads for any chunking, with correct file offsets', async () => {
    const bytes = await readFile(fixture('mzml', 'tiny.pwiz.1.1.mzML'));
    const text = bytes.toString('latin1');
    const expectedPayloads = [...text.matchAll(/<binary>([^<]*)<\/binary>/g)].map((m) => m[1]);
    const expectedXml = text.replace(/<binary>[^<]*<\/binary>/g, '<binary></binary>');
    for (const size of [1, 2, 3, 7, 8, 9, 64, 1000, bytes.length]) {
      const { xml, payloads, offsets } = split(bytes, 'binary', size);
      expect(payloads, `chunk ${String(size)}`).toEqual(expectedPayloads);
      expect(xml, `chunk ${String(size)}`).toBe(expectedXml);
      expect(offsets.every((o, i) => i === 0 || o > (offsets[i - 1] ?? -1))).toBe(true);
    }
  });

  it('handles tags with attributes, self-closing elements and look-alike names', () => {
    const doc = Buffer.from('<a><peaksX/><peaks precision="32">QUJD</peaks><peaks/><peaks\n>REVG</peaks></a>');
    for (const size of [1, 5, 100]) {
      const { xml, payloads } = split(doc, 'peaks', size);
      expect(payloads).toEqual(['QUJD', 'REVG']);
      expect(xml).toBe('<a><peaksX/><peaks precision="32"></peaks><peaks/><peaks\n></peaks></a>');
    }
  });

  it('passes a cut payload on as XML, so the parser reports the unclosed element', () => {
    const { xml, payloads } = split(Buffer.from('<a><binary>QUJDREVG'), 'binary', 4);
    expect(payloads).toEqual([]);
    expect(xml).toBe('<a><binary>QUJDREVG');
  });
});
