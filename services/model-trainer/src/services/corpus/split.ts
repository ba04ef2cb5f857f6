import { CorpusError } from './documents.js';

export interface SplitFractions {
  val: number;
  test: number;
}

export interface CorpusSplit {
  train: string[];
  val: string[];
  test: string[];
}

/** mulberry32: a small seeded PRNG, so a split is reproducible from its seed alone. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits by document: a seeded shuffle of the document indices picks which documents go to validation
 * and test (at least one each when asked for), and every split keeps the corpus order, so text reads
 * as written. No document is in two splits.
 */
export function splitCorpus(documents: readonly string[], fractions: SplitFractions, seed: number): CorpusSplit {
  const wanted = (fraction: number) => (fraction > 0 ? Math.max(1, Math.round(documents.length * fraction)) : 0);
  const valCount = wanted(fractions.val);
  const testCount = wanted(fractions.test);
  if (documents.length - valCount - testCount < 1) {
    throw new CorpusError(`the corpus has ${String(documents.length)} documents: too few to split into train, validation and test`);
  }
  const order = documents.map((_, index) => index);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const role = new Uint8Array(documents.length);
  order.slice(0, valCount).forEach((index) => (role[index] = 1));
  order.slice(valCount, valCount + testCount).forEach((index) => (role[index] = 2));
  const split: CorpusSplit = { train: [], val: [], test: [] };
  documents.forEach((document, index) => {
    (role[index] === 1 ? split.val : role[index] === 2 ? split.test : split.train).push(document);
  });
  return split;
}
