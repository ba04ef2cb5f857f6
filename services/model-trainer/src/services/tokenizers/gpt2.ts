import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bytesToAlphabet } from './byte-level.js';
import { ByteBpe } from './bpe.js';

export const GPT2_EOT = '<|endoftext|>';
const R50K_FILE = createRequire(import.meta.url).resolve('gpt-tokenizer/data/r50k_base.tiktoken');

/**
 * GPT-2's tokenizer (r50k_base: 50,256 ranked byte strings plus `<|endoftext|>` = 50256) from
 * gpt-tokenizer's tiktoken file. tiktoken stores ranks, tokenizer.json wants merges: each token's
 * merge is found by running BPE on its bytes with the lower ranks only, which stops at exactly two parts.
 */
export async function buildGpt2Tokenizer(file = R50K_FILE): Promise<ByteBpe> {
  const ranks = new Map<string, number>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const [token, rank] = line.split(' ');
    if (token === undefined || rank === undefined) continue;
    ranks.set(Buffer.from(token, 'base64').toString('latin1'), Number(rank));
  }
  const byRank = [...ranks].sort((a, b) => a[1] - b[1]);
  const merges: [string, string][] = [];
  for (const [token, rank] of byRank) {
    if (token.length < 2) continue;
    // Latin-1 strings: one character per byte.
    let parts = token.split('');
    while (parts.length > 2) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i++) {
        const candidate = ranks.get((parts[i] ?? '') + (parts[i + 1] ?? ''));
        if (candidate !== undefined && candidate < rank && candidate < bestRank) [best, bestRank] = [i, candidate];
      }
      if (best < 0) throw new Error(`r50k token of rank ${String(rank)} cannot be split`);
      parts = [...parts.slice(0, best), (parts[best] ?? '') + (parts[best + 1] ?? ''), ...parts.slice(best + 2)];
    }
    const latin = (text: string) => bytesToAlphabet(Buffer.from(text, 'latin1'));
    merges.push([latin(parts[0] ?? ''), latin(parts[1] ?? '')]);
  }
  const vocab = new Map(byRank.map(([token, rank]) => [bytesToAlphabet(Buffer.from(token, 'latin1')), rank]));
  return new ByteBpe({ vocab, merges, specials: new Map([[GPT2_EOT, byRank.length]]) });
}
