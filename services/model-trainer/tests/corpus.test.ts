import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusText, CorpusError, splitDocuments } from '../src/services/corpus/documents.js';
import { prepareCorpus } from '../src/services/corpus/prepare.js';
import { splitCorpus } from '../src/services/corpus/split.js';
import { SHAKESPEARE } from './helpers/corpus.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainer-corpus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('corpus formats', () => {
  it('reads text (blank-line documents), lines, jsonl with a field, and gzip of any of them', () => {
    expect(splitDocuments('a\nb\n\n\nc\r\n\r\nd', 'text', 'text').documents).toEqual(['a\nb', 'c', 'd']);
    expect(splitDocuments('one\ntwo\n\nthree\n', 'lines', 'text').documents).toEqual(['one', 'two', 'three']);
    const jsonl = '{"body":"x"}\n{"body":"y","id":2}\n';
    expect(splitDocuments(jsonl, 'auto', 'body')).toEqual({ documents: ['x', 'y'], format: 'jsonl' });
    expect(corpusText(gzipSync(utf8('héllo')), 1000)).toBe('héllo');
  });

  it('refuses corrupt and empty corpora as corpus (user) errors', () => {
    const refused = [
      () => corpusText(new Uint8Array(), 1000),
      () => corpusText(utf8('  \n\n '), 1000),
      () => corpusText(Uint8Array.from([0x66, 0xff, 0xfe]), 1000),
      () => corpusText(Uint8Array.from([0x61, 0, 0x62]), 1000),
      () => corpusText(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), 1000),
      () => corpusText(gzipSync(Buffer.alloc(5000, 0x61)), 1000),
      () => splitDocuments('{"text":"a"}\nnot json', 'jsonl', 'text'),
      () => splitDocuments('{"other":"a"}', 'jsonl', 'text'),
    ];
    for (const attempt of refused) expect(attempt).toThrow(CorpusError);
  });
});

describe('splitCorpus', () => {
  const documents = Array.from({ length: 500 }, (_, i) => `document ${String(i)}`);

  it('splits by document, never overlapping, in corpus order, reproducibly from the seed', () => {
    const split = splitCorpus(documents, { val: 0.1, test: 0.1 }, 7);
    expect(split.val).toHaveLength(50);
    expect(split.test).toHaveLength(50);
    expect(new Set([...split.train, ...split.val, ...split.test]).size).toBe(500);
    expect(split.train.length + split.val.length + split.test.length).toBe(500);
    const index = (document: string) => Number(document.split(' ')[1]);
    expect(split.val.map(index)).toEqual([...split.val.map(index)].sort((a, b) => a - b));
    expect(splitCorpus(documents, { val: 0.1, test: 0.1 }, 7)).toEqual(split);
    expect(splitCorpus(documents, { val: 0.1, test: 0.1 }, 8).val).not.toEqual(split.val);
  });

  it('refuses a corpus too small to split', () => {
    expect(() => splitCorpus(['only one'], { val: 0.1, test: 0 }, 0)).toThrow(CorpusError);
  });
});

describe('prepareCorpus', () => {
  it('writes uint16 token files of the char tokenizer trained on the train split, with the sizes reported', async () => {
    const prepared = await prepareCorpus(await readFile(SHAKESPEARE), dir, {
      format: 'auto',
      field: 'text',
      fractions: { val: 0.1, test: 0.05 },
      seed: 0,
      maxBytes: 1 << 26,
    });
    expect(prepared.dtype).toBe('uint16');
    const train = new Uint16Array((await readFile(prepared.files.train)).buffer.slice(0));
    expect(train.length).toBe(prepared.stats.train.tokens);
    expect(prepared.stats.val.documents).toBeGreaterThan(0);
    expect(prepared.stats.test.documents).toBeGreaterThan(0);
    expect(prepared.tokenizer.decode(Array.from(train.subarray(0, 14)))).toBe('First Citizen:');
  });
});
