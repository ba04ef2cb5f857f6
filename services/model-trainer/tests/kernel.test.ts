import { KernelFailedError } from '@platform/ml';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedCorpus } from '../src/services/corpus/prepare.js';
import { checkParity } from '../src/services/parity.js';
import { kernel, metricsOf, tinyCorpus } from './helpers/kernel.js';

let dir: string;
let corpus: PreparedCorpus;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainer-kernel-'));
  corpus = await tinyCorpus(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (output: string) => ({
  vocab_size: corpus.tokenizer.vocabSize,
  train_tokens: corpus.files.train,
  val_tokens: corpus.files.val,
  token_dtype: corpus.dtype,
  output_dir: join(dir, output),
  context_length: 32,
  batch_size: 16,
  lr: 3e-3,
  warmup_steps: 5,
  eval_interval_s: 1000,
  eval_batches: 2,
  step_event_interval_s: 0.2,
  threads: 1,
  device: 'cpu',
});
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe.each([
  ['gpt2', 'tiny'],
  ['char_lstm', 'small'],
])('%s %s', (family, size) => {
  it('trains a few steps on CPU with falling loss, keeps the best checkpoint apart, and its ONNX export matches PyTorch from Node', async () => {
    const { result, events } = await kernel('train', { ...base(`${family}-run`), family, size, max_steps: 40, eval_interval_s: 0.5 });
    expect(result.status).toBe('completed');
    const config = metricsOf(events, 'config')[0];
    expect(config).toMatchObject({ family, device: 'cpu', precision: 'fp32', compiled: false });
    const steps = metricsOf(events, 'step');
    const evals = metricsOf(events, 'eval');
    expect(steps.at(-1)?.step).toBe(40);
    expect(evals.at(-1)?.val_loss).toBeLessThan((steps[0]?.train_loss ?? 0) - 0.5);
    expect(evals.at(-1)?.best_val_loss).toBe(Math.min(...evals.map((e) => e.val_loss ?? Infinity)));
    const output = join(dir, `${family}-run`);
    for (const name of ['best.pt', 'last.pt', 'model.onnx', 'model.pt', 'config.json']) expect(await exists(join(output, name))).toBe(true);
    expect(await checkParity(output, 1e-4)).toBeLessThan(1e-4);
  });
});

describe('cancel and resume', () => {
  it('SIGTERM saves last.pt (exportable), and resume continues the step count and the curve', async () => {
    const controller = new AbortController();
    const request = { ...base('cancel'), family: 'char_lstm', size: 'small', time_budget_s: 120, eval_interval_s: 0.3 };
    const first = await kernel('train', request, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === 'metrics' && event.kind === 'eval') controller.abort();
      },
    });
    expect(first.result.status).toBe('cancelled');
    const checkpoint = String(first.result.checkpoint);
    const stoppedAt = metricsOf(first.events, 'step').at(-1)?.step ?? 0;
    expect(stoppedAt).toBeGreaterThan(0);

    const exported = await kernel('export', { checkpoint, output_dir: join(dir, 'cancel-export') });
    expect(exported.result.status).toBe('completed');
    expect(await checkParity(join(dir, 'cancel-export'), 1e-4)).toBeLessThan(1e-4);

    const resumed = await kernel('train', {
      ...request,
      output_dir: join(dir, 'resumed'),
      time_budget_s: undefined,
      max_steps: stoppedAt + 8,
      resume_from: checkpoint,
    });
    expect(resumed.result.status).toBe('completed');
    const steps = metricsOf(resumed.events, 'step');
    expect(steps[0]?.step).toBeGreaterThan(stoppedAt);
    expect(steps.at(-1)?.step).toBe(stoppedAt + 8);
    const history = (resumed.result.metrics as { steps: number }).steps;
    expect(history).toBe(stoppedAt + 8);
  });
});

describe('bad input', () => {
  it('token ids beyond the vocabulary and unknown fields or sizes are user errors', async () => {
    const bad = join(dir, 'bad.bin');
    await writeFile(bad, Buffer.from(Uint16Array.from({ length: 100 }, () => 60_000).buffer));
    const attempts = [
      { ...base('bad'), family: 'char_lstm', size: 'small', train_tokens: bad, max_steps: 1 },
      { ...base('bad'), family: 'gpt2', size: 'huge', max_steps: 1, surprise: true },
    ];
    for (const request of attempts) {
      const error = await kernel('train', request).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(KernelFailedError);
      expect((error as KernelFailedError).kind).toBe('user');
    }
  });
});
