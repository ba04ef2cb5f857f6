import * as tokenizersJs from '@huggingface/tokenizers';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainByteBpe } from '../src/services/tokenizers/bpe-train.js';
import type { ByteBpe } from '../src/services/tokenizers/bpe.js';
import { CharTokenizer } from '../src/services/tokenizers/char.js';
import { buildGpt2Tokenizer, GPT2_EOT } from '../src/services/tokenizers/gpt2.js';
import { loadTokenizer } from '../src/services/tokenizers/load.js';
import { SHAKESPEARE } from './helpers/corpus.js';

const shakespeare = readFileSync(SHAKESPEARE, 'utf8');
const sample = shakespeare.slice(0, 60_000);
interface HfTokenizer {
  encode(text: string): { ids: number[] };
}
// Typed here: its bundled declarations do not resolve under the repository's lint setup.
const { Tokenizer } = tokenizersJs as unknown as { Tokenizer: new (json: object, config: object) => HfTokenizer };
const hf = (json: object): HfTokenizer => new Tokenizer(json, {});

/** Seeded strings over every Unicode plane: ASCII, combining marks, CJK, emoji, astral, controls, lone surrogates. */
function randomTexts(count: number, seed = 1): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0, 0x1f],
    [0x300, 0x36f],
    [0x4e00, 0x9fff],
    [0x1f300, 0x1f6ff],
    [0x10000, 0x10ffff],
    [0xd800, 0xdfff],
    [0xa0, 0x24f],
  ];
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * 40);
    for (let i = 0; i < length; i++) {
      const [low, high] = ranges[Math.floor(next() * ranges.length)] ?? [0x20, 0x7e];
      const code = low + Math.floor(next() * (high - low + 1));
      text += code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
      if (next() < 0.2) text += ' ';
    }
    return text;
  });
}
const wellFormed = (text: string) => new TextDecoder().decode(new TextEncoder().encode(text));

describe('byte-level BPE trained in our code', () => {
  let bpe: ByteBpe;
  beforeAll(() => {
    bpe = trainByteBpe(shakespeare.split('\n\n'), { vocabSize: 1000, specialTokens: ['<|endoftext|>', '<pad>'] });
  });

  it('has the requested vocabulary: specials first, then the 256 bytes, then merges', () => {
    expect(bpe.vocabSize).toBe(1000);
    expect(bpe.specials.get('<|endoftext|>')).toBe(0);
    expect(bpe.encode('hello <pad> world<|endoftext|>')).toContain(1);
    expect(bpe.encode(' the').length).toBe(1);
  });

  it('round-trips any Unicode; lone surrogates become U+FFFD, as TextEncoder makes them', () => {
    for (const text of randomTexts(300)) expect(bpe.decode(bpe.encode(text))).toBe(wellFormed(text));
    expect(bpe.decode(bpe.encode('a\uD800b'))).toBe('a\uFFFDb');
  });

  it('saves a tokenizer.json that @huggingface/tokenizers encodes to the same ids, and that loads back', () => {
    const json = bpe.toJSON();
    const theirs = hf(json);
    const loaded = loadTokenizer(JSON.parse(JSON.stringify(json)));
    for (const text of [sample, ...randomTexts(200, 7), 'x <|endoftext|> y <pad>']) {
      const ours = bpe.encode(text);
      expect(theirs.encode(text).ids).toEqual(ours);
      expect(loaded.encode(text)).toEqual(ours);
    }
  });

  it('is deterministic and refuses a vocabulary smaller than bytes + specials', () => {
    const again = trainByteBpe(shakespeare.split('\n\n'), { vocabSize: 1000, specialTokens: ['<|endoftext|>', '<pad>'] });
    expect(again.encode(sample)).toEqual(bpe.encode(sample));
    expect(() => trainByteBpe(['abc'], { vocabSize: 256, specialTokens: ['<s>'] })).toThrow(/room/);
  });
});

describe('char-level tokenizer', () => {
  it('maps code points in order after <unk>, and HF loads its tokenizer.json to the same ids', () => {
    const chars = CharTokenizer.train(['héllo wörld 🎉']);
    expect(chars.encode('h🎉?')).toEqual([chars.encode('h')[0], chars.encode('🎉')[0], 0]);
    const theirs = hf(chars.toJSON());
    for (const text of ['héllo 🎉 wörld', 'unseen: ж', sample.slice(0, 2000)]) expect(theirs.encode(text).ids).toEqual(chars.encode(text));
    expect(chars.decode(chars.encode('wörld 🎉'))).toBe('wörld 🎉');
    expect(loadTokenizer(chars.toJSON()).encode('héllo')).toEqual(chars.encode('héllo'));
  });
});

describe('GPT-2 tokenizer.json built from gpt-tokenizer r50k_base', () => {
  let gpt2: ByteBpe;
  beforeAll(async () => {
    gpt2 = await buildGpt2Tokenizer();
  });

  it('encodes identically to gpt-tokenizer and to @huggingface/tokenizers on its tokenizer.json', () => {
    expect(gpt2.vocabSize).toBe(50_257);
    const theirs = hf(gpt2.toJSON());
    for (const text of [sample, ...randomTexts(200, 3), "it's 2024: naïve café, 日本語, 🎉!!\n\n  x"]) {
      const ours = gpt2.encode(text);
      expect(ours).toEqual(gptEncode(text));
      expect(theirs.encode(text).ids).toEqual(ours);
    }
  });

  it('maps <|endoftext|> to 50256 and decodes back', () => {
    expect(gpt2.encode(`a${GPT2_EOT}b`)).toEqual([64, 50256, 65]);
    expect(gpt2.decode(gpt2.encode(sample))).toBe(sample);
  });
});
