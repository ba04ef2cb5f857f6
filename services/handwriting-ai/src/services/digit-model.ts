import { OnnxModelSlot, type ArtifactManifest } from '@platform/ml';
// The one value @platform/ml does not re-export: feeds must be onnxruntime Tensors (README "Not done yet").
import { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { INPUT_SIDE } from './preprocess.js';

const PIXELS = INPUT_SIDE * INPUT_SIDE;
export const CLASSES = 10;

/** The graph's input `input` [N, 1, 28, 28] float32 (normalised) for `count` images laid end to end. */
export function digitFeeds(inputs: Float32Array, count: number): { input: Tensor } {
  return { input: new Tensor('float32', inputs, [count, 1, INPUT_SIDE, INPUT_SIDE]) };
}

/** The `logits` output, CLASSES values per image. */
export function logitsOf(outputs: Record<string, { data: unknown } | undefined>, count: number): Float32Array {
  const logits = outputs.logits?.data;
  if (!(logits instanceof Float32Array)) throw new Error('the model has no float output named logits');
  if (logits.length !== count * CLASSES)
    throw new Error(`the model answers ${logits.length / count} values per image; expected ${CLASSES}`);
  return logits;
}

/** What the kernel's parity.json holds: a few validation inputs and PyTorch's logits for them. */
export const ParitySample = z.object({ shape: z.array(z.number().int()), input: z.array(z.number()), logits: z.array(z.number()) });
export type ParitySample = z.infer<typeof ParitySample>;

/**
 * Loads `onnx` in a slot of its own and runs it once (a blank image, or the parity sample whose
 * logits must agree within `tolerance`), so a corrupt or wrong graph fails here, never in a request.
 * Answers the largest logit difference.
 */
export async function checkDigitModel(
  onnx: Uint8Array,
  manifest: ArtifactManifest,
  parity?: ParitySample,
  tolerance = 1e-4,
): Promise<number> {
  const probe = new OnnxModelSlot();
  try {
    await probe.load(onnx, manifest);
    const count = parity?.shape[0] ?? 1;
    const inputs = parity ? Float32Array.from(parity.input) : new Float32Array(PIXELS);
    const logits = logitsOf(await probe.run(digitFeeds(inputs, count)), count);
    if (!parity) return 0;
    const worst = parity.logits.reduce((max, expected, i) => Math.max(max, Math.abs(expected - (logits[i] ?? Number.NaN))), 0);
    if (!(worst <= tolerance))
      throw new Error(`ONNX and PyTorch logits differ by ${worst.toExponential(2)} (limit ${tolerance.toExponential(0)})`);
    return worst;
  } finally {
    await probe.release();
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
