import { describe, expect, it } from 'vitest';
import { ExportFormatError, jsonArrayObjects } from '../src/index.js';

function* chunked(text: string, size: number): Generator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function parseAll(text: string, size: number) {
  const out = [];
  for await (const item of jsonArrayObjects(toAsync(chunked(text, size)))) out.push(item);
  return out;
}

const tricky = [
  { a: 'quote " brace { } bracket [ ] comma ,', b: [1, { c: '\\' }] },
  { a: '\\\\"', nested: { deep: [[], {}] }, emoji: '🎵 ünï' },
  { a: 'ends with backslash \\', b: null },
  {},
];

describe('jsonArrayObjects', () => {
  it.each([1, 2, 3, 5, 7, 64, 1 << 20])('splits objects correctly across %i-byte chunks', async (size) => {
    for (const text of [JSON.stringify(tricky), JSON.stringify(tricky, null, 2)]) {
      const items = await parseAll(text, size);
      expect(items.map((item) => item.value)).toEqual(tricky);
      expect(items.map((item) => item.entry)).toEqual([1, 2, 3, 4]);
    }
  });

  it('reports the line each entry starts on', async () => {
    const items = await parseAll('[\n{"a":1},\n\n{"b":"x\\ny"}\n]', 3);
    expect(items.map((item) => item.line)).toEqual([2, 4]);
  });

  it.each([
    ['', 'line 1: the file is empty'],
    ['{"a":1}', 'line 1: expected a JSON array of entries'],
    ['[{"a":1} {"b":2}]', "line 1, entry 1: expected ',' or ']' after an entry"],
    ['[{"a":1},]', 'line 1, entry 2: each entry must be a JSON object'],
    ['[{"a":1}]\n[]', 'line 2: unexpected content after the array'],
    ['[\n{"a":1},\n{"a":tru}]', 'line 3, entry 2: invalid JSON'],
  ])('rejects %j', async (text, message) => {
    const error = await parseAll(text, 4).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('accepts an empty array', async () => {
    expect(await parseAll(' [ ] ', 1)).toEqual([]);
  });
});
