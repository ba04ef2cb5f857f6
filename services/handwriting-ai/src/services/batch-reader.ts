import { AppError } from '@platform/core';
import type { DigitServer } from './digit-server.js';
import type { ImageLimits } from './preprocess/decode.js';
import type { PreprocessPool } from './preprocess-pool.js';
import { readDigits, type ReadOptions, type Reading } from './reader.js';

export const MAX_BATCH_IMAGES = 64;

/** One image's answer in a batch: its reading, or why that image could not be read. */
export type BatchEntry =
  | ({ index: number; filename: string } & Reading)
  | { index: number; filename: string; error: { code: string; message: string; status: number } };

export interface BatchImage {
  image: Buffer;
  filename: string;
}

/**
 * Preprocesses every image on the CPU pool at once and classifies those that made it in ONE model run.
 * An image the pool refuses as a client error (no ink, bad format, too many pixels) is an error entry,
 * not a failed batch; anything else (a full pool, the model failing) fails the whole batch.
 */
export async function readBatch(
  server: DigitServer,
  pool: PreprocessPool,
  images: BatchImage[],
  options: ReadOptions & { limits: ImageLimits },
): Promise<{ results: BatchEntry[]; modelId: string | null }> {
  const outcomes = await Promise.allSettled(images.map(({ image }) => pool.preprocess(image, options.limits, false)));
  // Only the image's own faults (4xx) are per-image; a full pool or a crash fails the batch.
  const imageFault = (reason: unknown) => reason instanceof AppError && reason.status < 500;
  for (const outcome of outcomes) if (outcome.status === 'rejected' && !imageFault(outcome.reason)) throw outcome.reason;
  const inputs = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.input] : []));
  const { readings, modelId } =
    inputs.length > 0 ? await readDigits(server, inputs, options) : { readings: [], modelId: server.active?.id ?? null };
  const pending = readings.values();
  const results = outcomes.map((outcome, index): BatchEntry => {
    const filename = images[index]?.filename ?? '';
    if (outcome.status === 'rejected') {
      if (!(outcome.reason instanceof AppError)) throw outcome.reason;
      const { code, message, status } = outcome.reason;
      return { index, filename, error: { code, message, status } };
    }
    const reading = pending.next().value;
    if (!reading) throw new Error('the model answered fewer readings than inputs');
    return { index, filename, ...reading };
  });
  return { results, modelId };
}
