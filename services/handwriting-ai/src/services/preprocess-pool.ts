import { AppError, createCpuPool, workerModule } from '@platform/core';
import type { ImageLimits } from './preprocess/decode.js';

export interface PreprocessTask {
  image: Uint8Array;
  limits: ImageLimits;
  /** Also return the 28x28 pixels (for `?visualize=1`). */
  pixels: boolean;
}

interface Preprocessed {
  /** The normalised network input, 784 values. */
  input: Float32Array;
  pixels?: Uint8Array;
}

/** The worker's answer: the input, or the AppError it threw as plain data (cloning keeps only messages). */
export type PreprocessOutcome = { ok: true; value: Preprocessed } | { ok: false; error: { code: string; message: string; status: number } };

export interface PreprocessPool {
  /** `image` is moved to the thread, which checks its header before decoding a pixel. */
  preprocess(image: Buffer, limits: ImageLimits, pixels: boolean): Promise<Preprocessed>;
  close(): Promise<void>;
}

export function createPreprocessPool(options: { threads?: number | undefined; queue?: number | undefined } = {}): PreprocessPool {
  const pool = createCpuPool<PreprocessTask, PreprocessOutcome>({
    filename: workerModule(import.meta.url, '../workers/preprocess.worker'),
    ...(options.threads !== undefined && { maxThreads: options.threads }),
    ...(options.queue !== undefined && { maxQueue: options.queue }),
    // Decoding waits on libvips threads; a second task's preprocessing runs on the thread meanwhile.
    tasksPerThread: 2,
  });
  return {
    async preprocess(image, limits, pixels) {
      const outcome = await pool.run({ image, limits, pixels }, { transfer: [image] });
      if (outcome.ok) return outcome.value;
      throw new AppError(outcome.error.code, outcome.error.message, { status: outcome.error.status });
    },
    close: () => pool.close(),
  };
}
