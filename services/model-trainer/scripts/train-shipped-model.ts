/**
 * Reproduces the shipped char-LSTM (README "Shipped model"):
 *   npx tsx --conditions=source services/model-trainer/scripts/train-shipped-model.ts [CORPUS] [SECONDS]
 * Default corpus: ../shared/datasets/tinyshakespeare.txt beside the checkout; default budget 1200 s, one thread.
 * The same path as a run job: document split (seed 0, 10% validation), char tokenizer on the train split,
 * token files, the kernel, then model.onnx + config.json + tokenizer.json into models/<id>/.
 */
import { createLogger } from '@platform/core';
import { findPython, runKernel } from '@platform/ml';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../src/config.js';
import { prepareCorpus } from '../src/services/corpus/prepare.js';
import { KERNEL_DIR } from '../src/services/kernel.js';

export const SHIPPED_ID = 'char-lstm-shakespeare-v1';
const root = fileURLToPath(new URL('..', import.meta.url));
const corpusPath = process.argv[2] ?? join(root, '../../../shared/datasets/tinyshakespeare.txt');
const seconds = Number(process.argv[3] ?? 1200);

const work = await mkdtemp(join(tmpdir(), 'trainer-shipped-'));
const logger = createLogger({ service: 'train-shipped-model', level: 'warn' });
try {
  const corpus = await prepareCorpus(await readFile(corpusPath), work, {
    format: 'text',
    field: 'text',
    fractions: { val: 0.1, test: 0 },
    seed: 0,
    maxBytes: 1 << 30,
  });
  console.log(JSON.stringify({ corpus: corpus.stats, vocab_size: corpus.tokenizer.vocabSize }));
  const output = join(work, 'out');
  const result = await runKernel({
    python: await findPython(readConfig().python),
    module: 'trainer_kernel',
    cwd: KERNEL_DIR,
    command: 'train',
    logger,
    request: {
      family: 'char_lstm',
      size: 'small',
      vocab_size: corpus.tokenizer.vocabSize,
      train_tokens: corpus.files.train,
      val_tokens: corpus.files.val,
      token_dtype: corpus.dtype,
      output_dir: output,
      context_length: 96,
      batch_size: 32,
      time_budget_s: seconds,
      lr: 3e-3,
      min_lr_ratio: 0.05,
      warmup_steps: 100,
      weight_decay: 0.01,
      dropout: 0.2,
      threads: 1,
      device: 'cpu',
      seed: 0,
      eval_interval_s: 60,
      eval_batches: 50,
    },
    onEvent: (event) => {
      if (event.event === 'metrics' && (event.kind === 'eval' || event.kind === 'config')) console.log(JSON.stringify(event));
    },
  });
  const dir = join(root, 'models', SHIPPED_ID);
  await mkdir(dir, { recursive: true });
  await Promise.all(['model.onnx', 'config.json'].map((name) => copyFile(join(output, name), join(dir, name))));
  await writeFile(join(dir, 'tokenizer.json'), `${JSON.stringify(corpus.tokenizer.toJSON())}\n`);
  await writeFile(join(dir, 'corpus.json'), `${JSON.stringify({ source: 'tinyshakespeare.txt', ...corpus.stats }, null, 2)}\n`);
  console.log(JSON.stringify(result.metrics));
} finally {
  await rm(work, { recursive: true, force: true });
}
