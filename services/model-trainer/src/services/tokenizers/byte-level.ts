/**
 * GPT-2's byte-level alphabet: each byte maps to one printable code point (bytes_to_unicode in
 * openai/gpt-2 encoder.py), so byte strings can be vocabulary keys in tokenizer.json.
 */
function buildByteAlphabet(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const alphabet = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    alphabet[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + next++);
  }
  return alphabet;
}

export const BYTE_ALPHABET: readonly string[] = buildByteAlphabet();
const FROM_ALPHABET = new Map(BYTE_ALPHABET.map((char, byte) => [char, byte]));

export const bytesToAlphabet = (bytes: Uint8Array): string => {
  let out = '';
  for (const byte of bytes) out += BYTE_ALPHABET[byte] ?? '';
  return out;
};

/** The bytes of a byte-level vocabulary string; undefined when it holds a character outside the alphabet. */
export function alphabetToBytes(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    const byte = FROM_ALPHABET.get(char);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return Uint8Array.from(bytes);
}

/** GPT-2's pre-tokenisation (the `ByteLevel` pre-tokenizer's regex, identical to r50k_base's). */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const utf8 = new TextEncoder();
export const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Lone surrogates become U+FFFD before anything else (what TextEncoder and tokenizers.js do too). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');
