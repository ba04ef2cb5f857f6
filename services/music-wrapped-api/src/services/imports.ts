import { saveMultipartFile, type DataBankClient, type ScratchArea } from '@platform/core';
import { inspectExport, type ZipLimits } from '@platform/music';
import type { FastifyRequest } from 'fastify';
import type { ImportRecord } from '../models/wrapped.js';
import { viaDataBank } from './data-bank-errors.js';
import type { ImportStore } from './import-store.js';

export interface ImportsDeps {
  imports: ImportStore;
  dataBank: DataBankClient;
  /** Uploads are staged in scratch jobs here; main.ts sweeps it at start. */
  scratch: ScratchArea;
  uploads: { maxBytes: number; timeoutMs: number; zipLimits: ZipLimits };
}

/**
 * Stages the upload (multipart field `file`) in a scratch job, checks that it is an export this service
 * reads, keeps it in data-bank and records it as the user's import.
 */
export async function importExport(deps: ImportsDeps, request: FastifyRequest, userId: string): Promise<ImportRecord> {
  // A scratch job per upload: a crashed API's leftovers are swept when it starts again.
  const job = await deps.scratch.createJob();
  try {
    const upload = await saveMultipartFile(request, {
      dir: job.dir,
      maxBytes: deps.uploads.maxBytes,
      timeoutMs: deps.uploads.timeoutMs,
    });
    const filename = upload.filename || 'export';
    const { format, files } = await inspectExport(upload.path, filename, deps.uploads.zipLimits);
    const stored = await viaDataBank(() =>
      deps.dataBank.upload({ kind: 'path', path: upload.path }, { contentType: upload.mimetype || 'application/octet-stream' }),
    );
    return await deps.imports.create({
      user_id: userId,
      service: format,
      file_id: stored.file_id,
      filename,
      size: stored.size,
      files,
    });
  } finally {
    await job.dispose();
  }
}
