import { z } from 'zod';
import { alphabetToBytes } from './byte-level.js';
import { ByteBpe } from './bpe.js';
import { CharTokenizer, UNK } from './char.js';
import type { Tokenizer } from './tokenizer.js';

const TokenizerJson = z.object({
  added_tokens: z.array(z.object({ id: z.number().int().min(0), content: z.string() })).default([]),
  pre_tokenizer: z.object({ type: z.string() }).nullable(),
  model: z.object({
    type: z.literal('BPE'),
    unk_token: z.string().nullable().optional(),
    vocab: z.record(z.string(), z.number().int().min(0)),
    merges: z.array(z.union([z.tuple([z.string(), z.string()]), z.string()])),
  }),
});

/** A tokenizer.json written by this service (byte-level BPE or char-level) back as a Tokenizer. */
export function loadTokenizer(json: unknown): Tokenizer {
  const parsed = TokenizerJson.parse(json);
  const specials = new Map(parsed.added_tokens.map((token) => [token.content, token.id]));
  if (parsed.pre_tokenizer?.type === 'ByteLevel') {
    const merges = parsed.model.merges.map((merge) => {
      if (typeof merge !== 'string') return merge;
      const [left = '', right = ''] = merge.split(' ');
      return [left, right] as const;
    });
    const vocab = new Map(
      Object.entries(parsed.model.vocab).filter(([text]) => alphabetToBytes(text) !== undefined && !specials.has(text)),
    );
    return new ByteBpe({ vocab, merges, specials });
  }
  if (parsed.model.unk_token !== UNK || parsed.model.merges.length > 0) throw new Error('not a char-level tokenizer.json of this service');
  const byId = Object.entries(parsed.model.vocab)
    .sort((a, b) => a[1] - b[1])
    .map(([text]) => text);
  const specialTokens = byId.slice(0, specials.size);
  return new CharTokenizer(
    byId.slice(specials.size),
    specialTokens.filter((token) => token !== UNK),
  );
}
