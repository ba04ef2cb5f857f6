/** The CPU pool's worker thread: decoding and preprocessing uploads off the event loop. */
import { AppError } from '@platform/core';
import { isolateDigit, normalise, toPixels, WORKING_SIDE } from '../services/preprocess.js';
import { checkImageHeader, decodeGray } from '../services/preprocess/decode.js';
import type { PreprocessOutcome, PreprocessTask } from '../services/preprocess-pool.js';

export default async function run(task: PreprocessTask): Promise<PreprocessOutcome> {
  try {
    const image = Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength);
    // Header first: a bomb or an unknown format is refused before a pixel is decoded. (On the event loop,
    // sharp's metadata call cost as much main-thread time as the whole ONNX run.)
    const { width, height } = await checkImageHeader(image, task.limits);
    const digit = isolateDigit(await decodeGray(image, task.limits, WORKING_SIDE, Math.max(width, height)));
    return { ok: true, value: { input: normalise(digit), ...(task.pixels && { pixels: toPixels(digit) }) } };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, error: { code: error.code, message: error.message, status: error.status } };
  }
}
