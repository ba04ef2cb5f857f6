import { errorMessage, type DataBankClient } from '@platform/core';
import { handleJob, UserError } from '@platform/workers';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tokenizerJob } from '../jobs/tokenizer.js';
import { corpusText, splitDocuments } from '../services/corpus/documents.js';
import { asUserErrors, fetchCorpus } from '../services/corpus/fetch.js';
import { splitCorpus } from '../services/corpus/split.js';
import type { TokenizerStore } from '../services/tokenizer-store.js';
import { trainByteBpe } from '../services/tokenizers/bpe-train.js';
import { CharTokenizer } from '../services/tokenizers/char.js';

export interface TokenizerHandlerDeps {
  tokenizers: TokenizerStore;
  dataBank: DataBankClient;
  scratchDir: string;
  maxCorpusBytes: number;
}

/** Trains on the train split of the same seeded document split a run with these corpus options uses. */
export function tokenizerHandler(deps: TokenizerHandlerDeps) {
  return handleJob(tokenizerJob, async (request, context) => {
    const id = context.jobId;
    await deps.tokenizers.ensure(id, request);
    await deps.tokenizers.update(id, { status: 'processing' });
    const work = await mkdtemp(join(deps.scratchDir, 'tokenizer-'));
    try {
      const { tokenizer, stats } = await asUserErrors(async () => {
        const bytes = await fetchCorpus(deps.dataBank, request.corpus_file_id, work, deps.maxCorpusBytes);
        const { documents, format } = splitDocuments(corpusText(bytes, deps.maxCorpusBytes), request.corpus_format, request.corpus_field);
        const { train } = splitCorpus(documents, { val: request.val_fraction, test: request.test_fraction }, request.seed);
        const started = performance.now();
        const trained =
          request.kind === 'bpe'
            ? trainByteBpe(train, {
                vocabSize: request.vocab_size,
                specialTokens: request.special_tokens,
                minFrequency: request.min_frequency,
              })
            : CharTokenizer.train(train, request.special_tokens);
        const chars = train.reduce((sum, document) => sum + document.length, 0);
        return { tokenizer: trained, stats: { format, documents: train.length, chars, train_ms: Math.round(performance.now() - started) } };
      });
      const json = Buffer.from(`${JSON.stringify(tokenizer.toJSON())}\n`);
      const record = await deps.dataBank.upload({ kind: 'buffer', data: json }, { contentType: 'application/json' });
      await deps.tokenizers.update(id, { status: 'completed', vocab_size: tokenizer.vocabSize, file_id: record.file_id, stats });
      return { result: { tokenizer_id: id, vocab_size: tokenizer.vocabSize, file_id: record.file_id }, result_id: record.file_id };
    } catch (error) {
      await deps.tokenizers.update(id, { status: 'failed', error: errorMessage(error) });
      if (error instanceof Error && !(error instanceof UserError) && /vocab_size|distinct characters/.test(error.message))
        throw new UserError(error.message);
      throw error;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}
