import { alphabetToBytes, BYTE_ALPHABET, GPT2_SPLIT, utf8, utf8Decoder, wellFormed } from './byte-level.js';
import { bpeTokenizerJson, splitSpecials, type Tokenizer } from './tokenizer.js';

const CACHE_LIMIT = 200_000;

export interface BpeDefinition {
  /** Byte-level vocabulary string -> id (the 256 byte characters, every merge result, the specials). */
  vocab: ReadonlyMap<string, number>;
  /** Merges in priority order, as byte-level strings (tokenizer.json's `model.merges`). */
  merges: readonly (readonly [string, string])[];
  specials: ReadonlyMap<string, number>;
}

/**
 * Byte-level BPE as Hugging Face's `BPE` model with the `ByteLevel` pre-tokenizer applies it: GPT-2's
 * split, UTF-8 bytes, then the lowest-ranked merge first. Every byte is in the vocabulary, so any text
 * round-trips (lone surrogates become U+FFFD first, as TextEncoder would make them).
 */
export class ByteBpe implements Tokenizer {
  readonly kind = 'bpe';
  readonly vocabSize: number;
  readonly specials: ReadonlyMap<string, number>;
  private readonly byteIds = new Int32Array(256);
  /** mergeRank[a].get(b): the rank of merging ids (a, b); one small map per left id keeps keys small integers. */
  private readonly mergeRank: (Map<number, number> | undefined)[] = [];
  private readonly mergeResult: Int32Array;
  private readonly idBytes: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(readonly definition: BpeDefinition) {
    const { vocab, merges, specials } = definition;
    this.specials = specials;
    this.vocabSize = Math.max(...vocab.values(), ...specials.values()) + 1;
    for (let byte = 0; byte < 256; byte++) {
      const id = vocab.get(BYTE_ALPHABET[byte] ?? '');
      if (id === undefined) throw new Error(`byte-level vocabulary lacks byte ${String(byte)}`);
      this.byteIds[byte] = id;
    }
    this.mergeResult = new Int32Array(merges.length);
    merges.forEach(([left, right], rank) => {
      const a = vocab.get(left);
      const b = vocab.get(right);
      const merged = vocab.get(left + right);
      if (a === undefined || b === undefined || merged === undefined) throw new Error(`merge ${left} ${right} is not in the vocabulary`);
      const rights = (this.mergeRank[a] ??= new Map());
      if (!rights.has(b)) rights.set(b, rank);
      this.mergeResult[rank] = merged;
    });
    for (const [text, id] of vocab) {
      const bytes = alphabetToBytes(text);
      if (bytes) this.idBytes[id] = bytes;
    }
    for (const [text, id] of specials) this.idBytes[id] = utf8.encode(text);
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const part of splitSpecials(wellFormed(text), this.specials)) {
      if (typeof part === 'number') ids.push(part);
      else for (const match of part.matchAll(GPT2_SPLIT)) for (const id of this.encodePiece(match[0])) ids.push(id);
    }
    return ids;
  }

  private encodePiece(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    let ids = this.byteIdsOf(piece);
    while (ids.length > 1) {
      let best = -1;
      for (let i = 0; i < ids.length - 1; i++) {
        const rank = this.mergeRank[ids[i] ?? 0]?.get(ids[i + 1] ?? 0);
        if (rank !== undefined && (best < 0 || rank < best)) best = rank;
      }
      if (best < 0) break;
      ids = this.applyMerge(ids, best);
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** The byte ids of a piece; ASCII (most pieces) without a TextEncoder call. */
  private byteIdsOf(piece: string): number[] {
    const ids: number[] = [];
    for (let i = 0; i < piece.length; i++) {
      const code = piece.charCodeAt(i);
      if (code >= 0x80) return Array.from(utf8.encode(piece), (byte) => this.byteIds[byte] ?? 0);
      ids.push(this.byteIds[code] ?? 0);
    }
    return ids;
  }

  private applyMerge(ids: number[], rank: number): number[] {
    const merged: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i] ?? 0;
      if (i < ids.length - 1 && this.mergeRank[a]?.get(ids[i + 1] ?? 0) === rank) {
        merged.push(this.mergeResult[rank] ?? 0);
        i++;
      } else {
        merged.push(a);
      }
    }
    return merged;
  }

  decode(ids: readonly number[]): string {
    const parts = ids.map((id) => this.idBytes[id] ?? new Uint8Array());
    return utf8Decoder.decode(Buffer.concat(parts));
  }

  tokenText(id: number): string {
    return utf8Decoder.decode(this.idBytes[id] ?? new Uint8Array());
  }

  toJSON(): object {
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
    return bpeTokenizerJson({
      specials: this.specials,
      preTokenizer: byteLevel,
      decoder: byteLevel,
      unkToken: null,
      vocab: Object.fromEntries([...this.definition.vocab, ...this.specials]),
      merges: this.definition.merges,
    });
  }
}
