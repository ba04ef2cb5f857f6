/**
 * The CPU pool's worker thread: QR decoding and batch rendering, off the event loop. Answers an
 * AppError as data (structured cloning keeps only an Error's message), so the caller can rethrow
 * it with its code, status and details; anything else fails the task (a 500).
 */
import { AppError } from '@platform/core';
import { renderBatch } from '../services/batch.js';
import { loadDecoder, readCodes } from '../services/decode.js';
import type { QrOutcome, QrTask, QrTaskResult } from '../services/qr-pool.js';

const decoderReady = loadDecoder();

async function perform(task: QrTask): Promise<QrTaskResult> {
  if (task.kind === 'batch') return { kind: 'batch', files: await renderBatch(task.items, task.defaults) };
  await decoderReady;
  const image = Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength);
  return { kind: 'decode', codes: await readCodes(image, task.maxPixels) };
}

export default async function run(task: QrTask): Promise<QrOutcome> {
  try {
    return { ok: true, value: await perform(task) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      ok: false,
      error: { code: error.code, message: error.message, status: error.status, details: error.details },
    };
  }
}
