import { OnnxModelSlot, type ArtifactManifest } from '@platform/ml';
// The one value @platform/ml does not re-export: feeds must be onnxruntime Tensors.
import { Tensor } from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLmConfig, type LmConfig } from './lm-config.js';
import { loadTokenizer } from './tokenizers/load.js';
import type { Tokenizer } from './tokenizers/tokenizer.js';

export interface LstmState {
  h: Float32Array;
  c: Float32Array;
}

export interface Forward {
  /** Logits of every fed position, `vocabSize` values each. */
  logits: Float32Array;
  positions: number;
  state?: LstmState;
}

/**
 * An exported model with its tokenizer. The GPT sees at most its context (longer inputs are cropped
 * to the last `context_length` tokens: the export fails beyond it); the LSTM carries its state.
 */
export class LanguageModel {
  readonly vocabSize: number;

  private constructor(
    readonly id: string,
    private readonly slot: OnnxModelSlot,
    readonly config: LmConfig,
    readonly tokenizer: Tokenizer,
  ) {
    this.vocabSize = config.model.vocab_size;
  }

  static async open(dir: string, manifest: ArtifactManifest, threads = 1): Promise<LanguageModel> {
    const config = await readLmConfig(dir);
    const tokenizer = loadTokenizer(JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')));
    if (tokenizer.vocabSize > config.model.vocab_size) throw new Error('tokenizer.json has more ids than the model');
    const slot = new OnnxModelSlot({ intraOpNumThreads: threads });
    await slot.load(join(dir, 'model.onnx'), manifest);
    return new LanguageModel(manifest.id, slot, config, tokenizer);
  }

  get isLstm(): boolean {
    return this.config.model.family === 'char_lstm';
  }

  get contextLength(): number {
    return this.config.model.context_length;
  }

  initialState(): LstmState {
    const size = this.config.model.n_layer * this.config.model.hidden;
    return { h: new Float32Array(size), c: new Float32Array(size) };
  }

  async forward(ids: readonly number[], state?: LstmState): Promise<Forward> {
    const fed = this.isLstm ? ids : ids.slice(-this.contextLength);
    if (fed.length === 0) throw new Error('forward needs at least one token');
    const input = new Tensor(
      'int64',
      BigInt64Array.from(fed, (id) => BigInt(id)),
      [1, fed.length],
    );
    if (!this.isLstm) {
      const out = await this.slot.run({ input_ids: input });
      return { logits: floats(out.logits), positions: fed.length };
    }
    const { n_layer: layers, hidden } = this.config.model;
    const start = state ?? this.initialState();
    const out = await this.slot.run({
      input_ids: input,
      h0: new Tensor('float32', start.h, [layers, 1, hidden]),
      c0: new Tensor('float32', start.c, [layers, 1, hidden]),
    });
    return { logits: floats(out.logits), positions: fed.length, state: { h: floats(out.hn), c: floats(out.cn) } };
  }

  async release(): Promise<void> {
    await this.slot.release();
  }
}

function floats(tensor: { data: unknown } | undefined): Float32Array {
  if (!(tensor?.data instanceof Float32Array)) throw new Error('the model answered no float32 output');
  return tensor.data;
}

/** log-softmax of one row, in float64. */
export function logSoftmax(logits: Float32Array, offset: number, size: number): Float64Array {
  let peak = -Infinity;
  for (let i = 0; i < size; i++) peak = Math.max(peak, logits[offset + i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp((logits[offset + i] ?? 0) - peak);
  const logSum = peak + Math.log(sum);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = (logits[offset + i] ?? 0) - logSum;
  return out;
}
