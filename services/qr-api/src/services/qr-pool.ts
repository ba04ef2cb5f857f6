import { AppError, createCpuPool, workerModule } from '@platform/core';
import type { BatchItem } from '../models/request.js';
import type { BatchFile } from './batch.js';
import { checkImageHeader, type DecodedQr } from './decode.js';
import type { QrDefaults } from './render.js';

export type QrTask =
  { kind: 'decode'; image: Uint8Array; maxPixels: number } | { kind: 'batch'; items: readonly BatchItem[]; defaults: QrDefaults };

/** What a task gives back, tagged with its kind. */
export type QrTaskResult = { kind: 'decode'; codes: DecodedQr[] } | { kind: 'batch'; files: BatchFile[] };

/** A task's answer from the worker thread: its result, or the AppError it threw, as plain data. */
export type QrOutcome =
  | { ok: true; value: QrTaskResult }
  | { ok: false; error: { code: string; message: string; status: number; details: unknown[] | undefined } };

export interface QrPoolOptions {
  /** Tasks running at once (default: CPUs - 1, at least 1). */
  threads?: number | undefined;
  /** Tasks waiting for a thread before the next one is answered 503 (default 2 x threads). */
  queue?: number | undefined;
}

/** The CPU-heavy work of the service, each call run on a worker thread of one bounded pool. */
export interface QrPool {
  /**
   * The codes in an uploaded image. The header is checked here first (a pixel bomb or a wrong
   * format is refused before it takes a thread or a queue slot); `image` is moved to the thread
   * and unusable afterwards.
   */
  decode(image: Buffer, maxPixels: number): Promise<DecodedQr[]>;
  renderBatch(items: readonly BatchItem[], defaults: QrDefaults): Promise<BatchFile[]>;
  /** Finishes running and queued tasks, then stops the threads. */
  close(): Promise<void>;
}

/** Buffers come back from the thread as plain Uint8Arrays. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function createQrPool(options: QrPoolOptions = {}): QrPool {
  const pool = createCpuPool<QrTask, QrOutcome>({
    filename: workerModule(import.meta.url, '../workers/qr.worker'),
    ...(options.threads !== undefined && { maxThreads: options.threads }),
    ...(options.queue !== undefined && { maxQueue: options.queue }),
  });

  async function run(task: QrTask, transfer?: Buffer[]): Promise<QrTaskResult> {
    const outcome = await pool.run(task, transfer ? { transfer } : {});
    if (outcome.ok) return outcome.value;
    const { code, message, status, details } = outcome.error;
    throw new AppError(code, message, { status, ...(details && { details }) });
  }
  const mismatch = (task: string, result: QrTaskResult) => new Error(`the QR thread answered a ${task} task with a ${result.kind} result`);

  return {
    async decode(image, maxPixels) {
      await checkImageHeader(image, maxPixels);
      const result = await run({ kind: 'decode', image, maxPixels }, [image]);
      if (result.kind !== 'decode') throw mismatch('decode', result);
      return result.codes;
    },
    async renderBatch(items, defaults) {
      const result = await run({ kind: 'batch', items, defaults });
      if (result.kind !== 'batch') throw mismatch('batch', result);
      return result.files.map((file) => ({ ...file, body: asBuffer(file.body) }));
    },
    close: () => pool.close(),
  };
}
