import { BYTE_ALPHABET, GPT2_SPLIT, utf8, wellFormed } from './byte-level.js';
import { ByteBpe } from './bpe.js';
import { PairHeap } from './pair-heap.js';
import { splitSpecials } from './tokenizer.js';

export interface BpeTrainOptions {
  /** Total vocabulary: specials + 256 bytes + merges (at most 65,536). */
  vocabSize: number;
  specialTokens?: readonly string[];
  /** A pair seen fewer times than this is never merged. */
  minFrequency?: number;
}

const PAIR = 2 ** 21;

/** Pre-token counts over GPT-2's split (special tokens in the corpus are not learned from). */
function countPieces(texts: Iterable<string>, specials: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  const specialIds = new Map([...specials].map((text, id) => [text, id]));
  for (const text of texts) {
    for (const part of splitSpecials(wellFormed(text), specialIds)) {
      if (typeof part === 'number') continue;
      for (const match of part.matchAll(GPT2_SPLIT)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Byte-level BPE training (Sennrich et al. 2016 over GPT-2's pre-tokens): repeatedly merge the most
 * frequent adjacent pair. Pair counts are updated only in the words that hold the merged pair, and the
 * best pair comes from a lazily invalidated heap, so each merge costs about the size of what it touches.
 * Ids: the special tokens first, then the 256 bytes, then the merges in order.
 */
export function trainByteBpe(texts: Iterable<string>, options: BpeTrainOptions): ByteBpe {
  const specialTokens = [...new Set(options.specialTokens ?? [])];
  const minFrequency = options.minFrequency ?? 2;
  const maxMerges = options.vocabSize - 256 - specialTokens.length;
  if (maxMerges < 0) throw new Error('vocab_size must leave room for the 256 bytes and the special tokens');

  const pieces = countPieces(texts, new Set(specialTokens));
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [piece, count] of pieces) {
    words.push(Array.from(utf8.encode(piece)));
    freqs.push(count);
  }
  const pairCounts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const touched = new Set<number>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const word = words[w] ?? [];
    const freq = (freqs[w] ?? 0) * sign;
    for (let i = 0; i < word.length - 1; i++) {
      const key = (word[i] ?? 0) * PAIR + (word[i + 1] ?? 0);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + freq);
      touched.add(key);
      if (sign > 0) {
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);
  touched.clear();

  const symbols: number[][] = Array.from({ length: 256 }, (_, byte) => [byte]);
  const text = (symbol: number) => (symbols[symbol] ?? []).map((byte) => BYTE_ALPHABET[byte]).join('');
  const symbolOf = new Map(symbols.map((_, symbol) => [text(symbol), symbol]));
  const merges: [number, number][] = [];
  while (symbols.length - 256 < maxMerges) {
    const top = heap.pop();
    if (!top) break;
    const current = pairCounts.get(top.key) ?? 0;
    if (current !== top.count) continue; // stale entry: the pair's count changed since it was pushed
    if (current < minFrequency) break;
    const a = Math.floor(top.key / PAIR);
    const b = top.key % PAIR;
    // Two merges can spell the same bytes ((ab, c) and (a, bc)): they share one token, as in HF's trainer.
    let merged = symbolOf.get(text(a) + text(b));
    if (merged === undefined) {
      merged = symbols.length;
      symbols.push([...(symbols[a] ?? []), ...(symbols[b] ?? [])]);
      symbolOf.set(text(merged), merged);
    }
    merges.push([a, b]);
    for (const w of where.get(top.key) ?? []) {
      const word = words[w] ?? [];
      if (!word.some((symbol, i) => symbol === a && word[i + 1] === b)) continue;
      addPairs(w, -1);
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (word[i] === a && word[i + 1] === b) {
          next.push(merged);
          i++;
        } else {
          next.push(word[i] ?? 0);
        }
      }
      words[w] = next;
      addPairs(w, 1);
    }
    where.delete(top.key);
    pairCounts.delete(top.key);
    for (const key of touched) {
      const count = pairCounts.get(key) ?? 0;
      if (count > 0) heap.push(count, key);
      else pairCounts.delete(key);
    }
    touched.clear();
  }

  const vocab = new Map<string, number>();
  for (let symbol = 0; symbol < symbols.length; symbol++) vocab.set(text(symbol), specialTokens.length + symbol);
  return new ByteBpe({
    vocab,
    merges: merges.map(([a, b]) => [text(a), text(b)] as const),
    specials: new Map(specialTokens.map((token, id) => [token, id])),
  });
}
