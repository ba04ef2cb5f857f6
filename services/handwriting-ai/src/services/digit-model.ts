import { InferenceSession, Tensor } from 'onnxruntime-node';
import { INPUT_SIDE } from './preprocess.js';

const PIXELS = INPUT_SIDE * INPUT_SIDE;
export const CLASSES = 10;

/** An ONNX digit classifier: input `input` [N, 1, 28, 28] float32 (normalised), output `logits` [N, 10]. */
export class DigitModel {
  private constructor(
    private readonly session: InferenceSession,
    /** Softmax temperature fitted on held-out data (1 = uncalibrated). */
    readonly temperature: number,
  ) {}

  /** Loads and checks the graph by running one blank image, so a corrupt model fails here, not in a request. */
  static async load(model: string | Uint8Array, temperature: number, threads = 1): Promise<DigitModel> {
    const options: InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1 };
    const session =
      typeof model === 'string' ? await InferenceSession.create(model, options) : await InferenceSession.create(model, options);
    const loaded = new DigitModel(session, temperature);
    const logits = await loaded.logits(new Float32Array(PIXELS), 1);
    if (logits.length !== CLASSES) {
      await session.release();
      throw new Error(`the model answers ${logits.length} values for one image; expected ${CLASSES}`);
    }
    return loaded;
  }

  /** Raw logits for `count` images laid end to end in `inputs`. */
  async logits(inputs: Float32Array, count: number): Promise<Float32Array> {
    const feeds = { input: new Tensor('float32', inputs, [count, 1, INPUT_SIDE, INPUT_SIDE]) };
    const { logits } = await this.session.run(feeds);
    if (!logits) throw new Error('the model has no output named logits');
    return logits.data as Float32Array;
  }

  /** Calibrated probabilities, `CLASSES` per image. */
  async probabilities(inputs: Float32Array, count: number): Promise<Float32Array> {
    return softmax(await this.logits(inputs, count), this.temperature);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export function softmax(logits: Float32Array, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let row = 0; row < logits.length; row += CLASSES) {
    const slice = logits.subarray(row, row + CLASSES);
    const peak = Math.max(...slice);
    let sum = 0;
    for (let k = 0; k < CLASSES; k += 1) {
      const value = Math.exp(((slice[k] ?? 0) - peak) / temperature);
      out[row + k] = value;
      sum += value;
    }
    for (let k = 0; k < CLASSES; k += 1) out[row + k] = (out[row + k] ?? 0) / sum;
  }
  return out;
}
