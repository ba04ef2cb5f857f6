import sharp from 'sharp';
import type { DigitServer } from './digit-server.js';
import { INPUT_SIDE } from './preprocess.js';
import type { ImageLimits } from './preprocess/decode.js';
import type { PreprocessPool } from './preprocess-pool.js';
import { readDigits, type ReadOptions, type Reading } from './reader.js';

export interface ImageReading extends Reading {
  modelId: string;
  /** The 28x28 model input as a PNG (base64), when asked for. */
  visualPngB64?: string;
}

const visualPng = async (pixels: Uint8Array) =>
  (
    await sharp(Buffer.from(pixels), { raw: { width: INPUT_SIDE, height: INPUT_SIDE, channels: 1 } })
      .png()
      .toBuffer()
  ).toString('base64');

/** Preprocesses one uploaded image on the CPU pool and reads its digit (with the model input when `visualize`). */
export async function readImage(
  server: DigitServer,
  pool: PreprocessPool,
  image: Buffer,
  options: ReadOptions & { limits: ImageLimits; visualize: boolean },
): Promise<ImageReading> {
  const input = await pool.preprocess(image, options.limits, options.visualize);
  const { readings, modelId } = await readDigits(server, [input.input], options);
  const [reading] = readings;
  if (!reading) throw new Error('the model answered no reading');
  return { ...reading, modelId, ...(input.pixels && { visualPngB64: await visualPng(input.pixels) }) };
}
