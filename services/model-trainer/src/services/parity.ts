import { OnnxModelSlot, type ArtifactManifest } from '@platform/ml';
import { Tensor } from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readLmConfig } from './lm-config.js';

const ParitySample = z.object({
  input_ids: z.array(z.array(z.number().int())),
  logits_shape: z.array(z.number()),
  logits: z.array(z.number()),
});

/**
 * Runs the export's parity sample (token ids and PyTorch's logits, from the kernel) through
 * onnxruntime-node: an export that disagrees beyond `tolerance` is never published. Answers the
 * largest absolute logit difference.
 */
export async function checkParity(dir: string, tolerance = 1e-3): Promise<number> {
  const config = await readLmConfig(dir);
  const sample = ParitySample.parse(JSON.parse(await readFile(join(dir, 'parity.json'), 'utf8')));
  const batch = sample.input_ids.length;
  const length = sample.input_ids[0]?.length ?? 0;
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor(
      'int64',
      BigInt64Array.from(sample.input_ids.flat(), (id) => BigInt(id)),
      [batch, length],
    ),
  };
  if (config.model.family === 'char_lstm') {
    const shape = [config.model.n_layer, batch, config.model.hidden];
    const zeros = new Float32Array(shape.reduce((a, b) => a * b, 1));
    feeds.h0 = new Tensor('float32', zeros, shape);
    feeds.c0 = new Tensor('float32', zeros, shape);
  }
  const probe = new OnnxModelSlot();
  try {
    const manifest = {
      id: 'parity',
      kind: 'parity',
      created_at: new Date().toISOString(),
      frameworks: {},
      hyperparameters: {},
      metrics: {},
      extra: {},
      files: [],
    } satisfies ArtifactManifest;
    await probe.load(join(dir, 'model.onnx'), manifest);
    const logits = (await probe.run(feeds)).logits?.data;
    if (!(logits instanceof Float32Array) || logits.length !== sample.logits.length)
      throw new Error('the ONNX export answers logits of another shape');
    const worst = sample.logits.reduce((max, expected, i) => Math.max(max, Math.abs(expected - (logits[i] ?? Number.NaN))), 0);
    if (!(worst <= tolerance))
      throw new Error(`ONNX and PyTorch logits differ by ${worst.toExponential(2)} (limit ${tolerance.toExponential(0)})`);
    return worst;
  } finally {
    await probe.release();
  }
}
