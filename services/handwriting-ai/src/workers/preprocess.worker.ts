/** The CPU pool's worker thread: decoding and preprocessing uploads off the event loop. */
import { AppError } from '@platform/core';
import { isolateDigit, normalise, toPixels, WORKING_SIDE } from '../services/preprocess.js';
import { decodeGray } from '../services/preprocess/decode.js';
import type { PreprocessOutcome, PreprocessTask } from '../services/preprocess-pool.js';

export default async function run(task: PreprocessTask): Promise<PreprocessOutcome> {
  try {
    const image = Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength);
    const digit = isolateDigit(await decodeGray(image, task.limits, WORKING_SIDE, task.side));
    return { ok: true, value: { input: normalise(digit), ...(task.pixels && { pixels: toPixels(digit) }) } };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, error: { code: error.code, message: error.message, status: error.status } };
  }
}
