import { wellFormed } from './byte-level.js';
import { bpeTokenizerJson, splitSpecials, type Tokenizer } from './tokenizer.js';

export const UNK = '<unk>';

/**
 * Character-level: one id per Unicode code point seen in training, in code-point order after the
 * special tokens (`<unk>` first, for characters never seen). As tokenizer.json: a BPE model with no
 * merges (each character its own token), `<unk>` as its unknown token and a Fuse decoder.
 */
export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  readonly vocabSize: number;
  readonly specials: ReadonlyMap<string, number>;
  private readonly ids: ReadonlyMap<string, number>;
  private readonly chars: readonly string[];
  private readonly unk: number;

  constructor(chars: readonly string[], specialTokens: readonly string[] = []) {
    const specials = [UNK, ...specialTokens.filter((token) => token !== UNK)];
    this.specials = new Map(specials.map((token, id) => [token, id]));
    this.unk = 0;
    this.chars = [...specials, ...chars];
    this.ids = new Map(chars.map((char, index) => [char, specials.length + index]));
    this.vocabSize = this.chars.length;
  }

  static train(texts: Iterable<string>, specialTokens: readonly string[] = [], maxChars = 65_536): CharTokenizer {
    const seen = new Set<string>();
    for (const text of texts) for (const char of wellFormed(text)) seen.add(char);
    const chars = [...seen].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    if (chars.length + specialTokens.length + 1 > maxChars)
      throw new Error(`the corpus has ${String(chars.length)} distinct characters (at most ${String(maxChars)})`);
    return new CharTokenizer(chars, specialTokens);
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const part of splitSpecials(wellFormed(text), this.specials)) {
      if (typeof part === 'number') out.push(part);
      else for (const char of part) out.push(this.ids.get(char) ?? this.unk);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.chars[id] ?? '').join('');
  }

  tokenText(id: number): string {
    return this.chars[id] ?? '';
  }

  /** The characters after the specials, in id order. */
  characters(): string[] {
    return this.chars.slice(this.specials.size);
  }

  toJSON(): object {
    return bpeTokenizerJson({
      specials: this.specials,
      preTokenizer: null,
      decoder: { type: 'Fuse' },
      unkToken: UNK,
      vocab: Object.fromEntries(this.chars.map((char, id) => [char, id])),
      merges: [],
    });
  }
}
