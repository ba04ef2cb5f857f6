import { CLASSES } from './digit-model.js';
import type { DigitServer } from './digit-server.js';
import { INPUT_SIDE, MNIST_MEAN, MNIST_STD } from './preprocess.js';

export interface Reading {
  digit: number;
  confidence: number;
  probabilities: number[];
  top3: Array<{ digit: number; probability: number }>;
  uncertain: boolean;
}

const BACKGROUND = -MNIST_MEAN / MNIST_STD;
/** Test-time augmentation: the input and its one-pixel shifts, probabilities averaged. */
const TTA_SHIFTS: Array<[number, number]> = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
];

function shifted(input: Float32Array, [dx, dy]: [number, number], out: Float32Array, offset: number): void {
  for (let y = 0; y < INPUT_SIDE; y += 1)
    for (let x = 0; x < INPUT_SIDE; x += 1) {
      const sx = x - dx;
      const sy = y - dy;
      const inside = sx >= 0 && sy >= 0 && sx < INPUT_SIDE && sy < INPUT_SIDE;
      out[offset + y * INPUT_SIDE + x] = inside ? (input[sy * INPUT_SIDE + sx] ?? BACKGROUND) : BACKGROUND;
    }
}

function reading(probabilities: number[], uncertainBelow: number): Reading {
  const ranked = probabilities.map((probability, digit) => ({ digit, probability })).sort((a, b) => b.probability - a.probability);
  const best = ranked[0] ?? { digit: 0, probability: 0 };
  return {
    digit: best.digit,
    confidence: best.probability,
    probabilities,
    top3: ranked.slice(0, 3),
    uncertain: best.probability < uncertainBelow,
  };
}

export interface ReadOptions {
  tta: boolean;
  uncertainBelow: number;
}

/** Classifies preprocessed inputs (784 values each) in one batch, all by the same model. */
export async function readDigits(
  server: DigitServer,
  inputs: Float32Array[],
  options: ReadOptions,
): Promise<{ readings: Reading[]; modelId: string }> {
  const variants = options.tta ? TTA_SHIFTS : TTA_SHIFTS.slice(0, 1);
  const pixels = INPUT_SIDE * INPUT_SIDE;
  const batch = new Float32Array(inputs.length * variants.length * pixels);
  inputs.forEach((input, i) => {
    variants.forEach((shift, v) => {
      shifted(input, shift, batch, (i * variants.length + v) * pixels);
    });
  });
  const { probabilities, modelId } = await server.probabilities(batch, inputs.length * variants.length);
  const readings = inputs.map((_input, i) => {
    const mean = Array.from({ length: CLASSES }, (_unused, k) => {
      let sum = 0;
      for (let v = 0; v < variants.length; v += 1) sum += probabilities[(i * variants.length + v) * CLASSES + k] ?? 0;
      return sum / variants.length;
    });
    return reading(mean, options.uncertainBelow);
  });
  return { readings, modelId };
}
