import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Tokenizer } from '../tokenizers/tokenizer.js';

export type TokenDtype = 'uint16' | 'uint32';

const dtypeFor = (vocabSize: number): TokenDtype => (vocabSize <= 65_536 ? 'uint16' : 'uint32');

const FLUSH_TOKENS = 1 << 16;

/**
 * Encodes documents one at a time into a flat little-endian token file (the kernel memory-maps it),
 * `separator` between documents, flushing every 64 Ki tokens so memory stays bounded.
 */
export async function writeTokenFile(
  path: string,
  documents: Iterable<string>,
  tokenizer: Tokenizer,
  separator: string,
): Promise<{ tokens: number; dtype: TokenDtype }> {
  const dtype = dtypeFor(tokenizer.vocabSize);
  const out = createWriteStream(path);
  const separatorIds = tokenizer.encode(separator);
  let buffer: number[] = [];
  let tokens = 0;
  const flush = async () => {
    const array = dtype === 'uint16' ? Uint16Array.from(buffer) : Uint32Array.from(buffer);
    tokens += buffer.length;
    buffer = [];
    if (!out.write(Buffer.from(array.buffer, array.byteOffset, array.byteLength))) await once(out, 'drain');
  };
  try {
    let first = true;
    for (const document of documents) {
      if (!first) buffer.push(...separatorIds);
      first = false;
      for (const id of tokenizer.encode(document)) buffer.push(id);
      if (buffer.length >= FLUSH_TOKENS) await flush();
    }
    await flush();
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { tokens, dtype };
}
