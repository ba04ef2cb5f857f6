import { join } from 'node:path';
import { CharTokenizer } from '../tokenizers/char.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { corpusText, splitDocuments, type CorpusFormat } from './documents.js';
import { splitCorpus, type SplitFractions } from './split.js';
import { writeTokenFile, type TokenDtype } from './token-file.js';

export interface PrepareOptions {
  format: CorpusFormat;
  field: string;
  fractions: SplitFractions;
  seed: number;
  maxBytes: number;
  /** The run's tokenizer; absent: a char-level one trained on the train split. */
  tokenizer?: Tokenizer | undefined;
}

interface SplitStats {
  documents: number;
  chars: number;
  tokens: number;
}

export interface PreparedCorpus {
  tokenizer: Tokenizer;
  dtype: TokenDtype;
  files: { train: string; val: string; test: string };
  stats: { format: CorpusFormat; bytes: number; train: SplitStats; val: SplitStats; test: SplitStats };
}

const EOT_NAMES = ['<|endoftext|>', '</s>', '<eos>'];

/** Between documents: the tokenizer's end-of-text token when it has one, else the corpus's own break. */
function documentSeparator(tokenizer: Tokenizer, format: CorpusFormat): string {
  const eot = EOT_NAMES.find((name) => tokenizer.specials.has(name));
  return eot ?? (format === 'text' ? '\n\n' : '\n');
}

/** Corpus bytes -> documents -> seeded split -> token files `train.bin`, `val.bin`, `test.bin` in `dir`. */
export async function prepareCorpus(bytes: Uint8Array, dir: string, options: PrepareOptions): Promise<PreparedCorpus> {
  const { documents, format } = splitDocuments(corpusText(bytes, options.maxBytes), options.format, options.field);
  const split = splitCorpus(documents, options.fractions, options.seed);
  const tokenizer = options.tokenizer ?? CharTokenizer.train(split.train);
  const separator = documentSeparator(tokenizer, format);
  const files = { train: join(dir, 'train.bin'), val: join(dir, 'val.bin'), test: join(dir, 'test.bin') };
  const encode = async (name: 'train' | 'val' | 'test') => {
    const written = await writeTokenFile(files[name], split[name], tokenizer, separator);
    const chars = split[name].reduce((sum, document) => sum + document.length, 0);
    return { dtype: written.dtype, stats: { documents: split[name].length, chars, tokens: written.tokens } };
  };
  const train = await encode('train');
  const val = await encode('val');
  const test = await encode('test');
  return {
    tokenizer,
    dtype: train.dtype,
    files,
    stats: { format, bytes: bytes.length, train: train.stats, val: val.stats, test: test.stats },
  };
}
