/** What training, serving and scoring need from any tokenizer. */
export interface Tokenizer {
  readonly kind: 'bpe' | 'char';
  readonly vocabSize: number;
  /** Ids of the special tokens by their text (e.g. `<|endoftext|>`). */
  readonly specials: ReadonlyMap<string, number>;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The text of one token, for per-token views (a partial UTF-8 sequence shows as U+FFFD). */
  tokenText(id: number): string;
  /** The HF tokenizer.json document (what `@huggingface/tokenizers` loads). */
  toJSON(): object;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Splits `text` on special tokens (longest first), yielding plain runs and special ids in order. */
export function* splitSpecials(text: string, specials: ReadonlyMap<string, number>): Generator<string | number> {
  if (specials.size === 0) {
    yield text;
    return;
  }
  const pattern = new RegExp(
    [...specials.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) yield text.slice(last, match.index);
    yield specials.get(match[0]) ?? 0;
    last = match.index + match[0].length;
  }
  if (last < text.length) yield text.slice(last);
}

const addedToken = (content: string, id: number) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * A tokenizer.json whose model is HF's BPE (both kinds of this service are: char-level is BPE with no
 * merges), with the special tokens as added tokens.
 */
export function bpeTokenizerJson(parts: {
  specials: ReadonlyMap<string, number>;
  preTokenizer: object | null;
  decoder: object;
  unkToken: string | null;
  vocab: Record<string, number>;
  merges: readonly (readonly [string, string])[];
}): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...parts.specials].map(([content, id]) => addedToken(content, id)),
    normalizer: null,
    pre_tokenizer: parts.preTokenizer,
    post_processor: null,
    decoder: parts.decoder,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: parts.unkToken,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: parts.vocab,
      merges: parts.merges,
    },
  };
}
