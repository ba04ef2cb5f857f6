import multipart from '@fastify/multipart';
import { saveMultipartFile, type DataBankClient, type PlatformApp, requestUser, type ScratchArea } from '@platform/core';
import { inspectExport, type ZipLimits } from '@platform/music';
import { z } from 'zod';
import { viaDataBank } from '../services/data-bank-errors.js';
import type { ImportStore } from '../services/import-store.js';

export interface ImportRoutesOptions {
  imports: ImportStore;
  dataBank: DataBankClient;
  scratch: ScratchArea;
  maxUploadBytes: number;
  config: { uploadTimeoutMs: number; zipLimits: ZipLimits };
}

const ImportResponse = z.object({
  import_id: z.string(),
  service: z.string(),
  files: z.array(z.string()),
  filename: z.string(),
  size: z.number(),
  file_id: z.string(),
  created_at: z.string(),
});

/** `POST /v1/imports`: an export file (multipart field `file`), checked for its format and kept in data-bank. */
export async function importRoutes(app: PlatformApp, options: ImportRoutesOptions): Promise<void> {
  await app.register(multipart);
  app.post(
    '/v1/imports',
    {
      config: { auth: 'api', user: true },
      schema: {
        summary:
          'Upload a Spotify extended streaming history, YouTube Takeout watch history or Apple Music play activity export (JSON, CSV or zip)',
        consumes: ['multipart/form-data'],
        response: { 201: ImportResponse },
      },
    },
    async (request, reply) => {
      const userId = requestUser(request);
      // A scratch job per upload: a crashed API's leftovers are swept when it starts again.
      const job = await options.scratch.createJob();
      try {
        const upload = await saveMultipartFile(request, {
          dir: job.dir,
          maxBytes: options.maxUploadBytes,
          timeoutMs: options.config.uploadTimeoutMs,
        });
        const filename = upload.filename || 'export';
        const { format, files } = await inspectExport(upload.path, filename, options.config.zipLimits);
        const stored = await viaDataBank(() =>
          options.dataBank.upload(
            { kind: 'path', path: upload.path },
            { contentType: upload.mimetype || 'application/octet-stream' },
          ),
        );
        const record = await options.imports.create({
          user_id: userId,
          service: format,
          file_id: stored.file_id,
          filename,
          size: stored.size,
          files,
        });
        return await reply.status(201).send(record);
      } finally {
        await job.dispose();
      }
    },
  );
}
