/**
 * model-trainer benchmark, all in one run:
 * 1. BPE training throughput (MB/s of corpus) of our trainer at vocab 8k and 32k against the `tokenizers`
 *    Rust binding's BPE trainer (its Node binding takes no vocab size: its default, 30k) on tiny-shakespeare;
 * 2. encode throughput of GPT-2's tokenizer: ours against gpt-tokenizer (r50k_base), the Rust binding and
 *    tokenizers.js on the same tokenizer.json;
 * 3. generation through the API (real HTTP, server-sent events) from the shipped char-LSTM: tokens/s and
 *    p50 time to the first token;
 * 4. GPU (bench/trainer/gpu.py: the kernel's own loop vs ../shared/bench/gpt2_plain_pytorch.py, and
 *    nanoGPT's baby GPT on shakespeare-char) only where `torch.cuda.is_available()`; else "not measured".
 *
 *   npm run bench -- trainer            (about a minute on CPU)
 */
import * as tokenizersJs from '@huggingface/tokenizers';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as rust from 'tokenizers';
import { percentile, printTable, type BenchRow } from '../lib/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/datasets/tinyshakespeare.txt', import.meta.url));
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const source = (file: string) => new URL(`../../services/model-trainer/${file}`, import.meta.url).href;

interface OurTokenizer {
  encode(text: string): number[];
  toJSON(): object;
  vocabSize: number;
}
const { trainByteBpe } = (await import(source('src/services/tokenizers/bpe-train.ts'))) as {
  trainByteBpe: (texts: Iterable<string>, options: { vocabSize: number; specialTokens?: string[] }) => OurTokenizer;
};
const { buildGpt2Tokenizer } = (await import(source('src/services/tokenizers/gpt2.ts'))) as {
  buildGpt2Tokenizer: () => Promise<OurTokenizer>;
};
const { trainerWorld } = (await import(source('tests/helpers/world.ts'))) as {
  trainerWorld: () => Promise<{ app: { listen(options: { port: number; host: string }): Promise<string> }; close(): Promise<void> }>;
};

const text = readFileSync(CORPUS, 'utf8');
const megabytes = Buffer.byteLength(text) / 1e6;
const rows: BenchRow[] = [];
const time = async <T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};
/** Best of `runs` (the machine is shared: the best run is the least disturbed one). */
const best = async (runs: number, work: () => unknown) => {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) fastest = Math.min(fastest, (await time(work)).ms);
  return fastest;
};

// 1. BPE training.
for (const vocab of [8192, 32768]) {
  const { value, ms } = await time(() => trainByteBpe(text.split('\n\n'), { vocabSize: vocab, specialTokens: ['<|endoftext|>'] }));
  rows.push({
    case: `BPE train, vocab ${String(vocab)}`,
    subject: 'model-trainer',
    value: megabytes / (ms / 1000),
    unit: 'MB/s',
    extra: { vocab: value.vocabSize },
  });
}
{
  const tokenizer = new rust.Tokenizer(rust.BPE.empty());
  tokenizer.setPreTokenizer(rust.byteLevelPreTokenizer(false, true));
  const ms = (
    await time(() => {
      tokenizer.train([CORPUS]);
    })
  ).ms;
  for (const vocab of [8192, 32768]) {
    rows.push({
      case: `BPE train, vocab ${String(vocab)}`,
      subject: 'tokenizers (Rust)',
      value: megabytes / (ms / 1000),
      unit: 'MB/s',
      extra: { vocab: tokenizer.getVocabSize() },
    });
  }
}

// 2. Encoding with GPT-2's tokenizer: the first call (no piece cached yet) and the best of three after it.
{
  const json = JSON.stringify((await buildGpt2Tokenizer()).toJSON());
  const { Tokenizer } = tokenizersJs as unknown as {
    Tokenizer: new (json: object, config: object) => { encode(text: string): { ids: number[] } };
  };
  // Each factory makes a fresh instance (untimed; gpt-tokenizer's encoder is a module singleton), then only encode is timed.
  const subjects: [string, () => Promise<() => unknown>][] = [
    [
      'model-trainer',
      async () => {
        const fresh = await buildGpt2Tokenizer();
        return () => fresh.encode(text);
      },
    ],
    ['gpt-tokenizer', () => Promise.resolve(() => gptEncode(text))],
    [
      'tokenizers (Rust)',
      () => {
        const fresh = rust.Tokenizer.fromString(json);
        return Promise.resolve(() => fresh.encode(text));
      },
    ],
    [
      'tokenizers.js',
      () => {
        const fresh = new Tokenizer(JSON.parse(json) as object, {});
        return Promise.resolve(() => fresh.encode(text));
      },
    ],
  ];
  for (const [subject, make] of subjects) {
    const work = await make();
    rows.push({ case: 'GPT-2 encode, first call', subject, value: megabytes / ((await time(work)).ms / 1000), unit: 'MB/s' });
    rows.push({ case: 'GPT-2 encode, warm', subject, value: megabytes / ((await best(3, work)) / 1000), unit: 'MB/s' });
  }
}
printTable(`Tokenizers on tiny-shakespeare (${megabytes.toFixed(2)} MB)`, rows, 'tokenizers (Rust)');

// 3. Generation through the API.
{
  const world = await trainerWorld();
  const base = await world.app.listen({ port: 0, host: '127.0.0.1' });
  const ttft: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i < 12; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/v1/runs/char-lstm-shakespeare-v1/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ prompt: 'ROMEO:\n', max_tokens: 200, temperature: 0.8, seed: i }),
    });
    let first: number | undefined;
    let tokens = 0;
    const decoder = new TextDecoder();
    for await (const chunk of response.body ?? []) {
      const events = decoder.decode(chunk as Uint8Array).match(/event: token/g)?.length ?? 0;
      if (events > 0) first ??= performance.now() - started;
      tokens += events;
    }
    const elapsed = performance.now() - started;
    if (i > 1) {
      // the first two warm the model cache and the ONNX session
      ttft.push(first ?? NaN);
      rates.push(tokens / (elapsed / 1000));
    }
  }
  await world.close();
  ttft.sort((a, b) => a - b);
  rates.sort((a, b) => a - b);
  printTable(
    'Generation through the API (shipped char-LSTM, 200 tokens, SSE over HTTP)',
    [
      { case: 'tokens/s (p50)', subject: 'model-trainer', value: percentile(rates, 50), unit: 'tokens/s' },
      { case: 'time to first token (p50)', subject: 'model-trainer', value: percentile(ttft, 50), unit: 'ms' },
    ],
    'model-trainer',
  );
}

// 4. GPU.
const cuda = spawnSync(PYTHON, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).stdout.trim() === 'True';
if (!cuda) {
  process.stdout.write('\nGPU: not measured (no CUDA device here); run `python3 bench/trainer/gpu.py` on a GPU machine.\n');
} else {
  const gpu = spawnSync(PYTHON, [fileURLToPath(new URL('gpu.py', import.meta.url))], {
    encoding: 'utf8',
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(`\nGPU:\n${gpu.stdout}`);
}
