import multipart from '@fastify/multipart';
import { AppError, type DataBankClient, type PlatformApp, requestUser } from '@platform/core';
import { inspectExport } from '@platform/music';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { ImportRecord } from '../models/wrapped.js';
import type { ImportStore } from '../services/import-store.js';

export interface ImportRoutesOptions {
  imports: ImportStore;
  dataBank: DataBankClient;
  maxUploadBytes: number;
  tmpDir?: string | undefined;
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
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadBytes, files: 1, fields: 4 },
    throwFileSizeLimit: true,
  });
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
      if (!request.isMultipart())
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'send the export as multipart/form-data in a field named file',
        );
      const file = await request.file();
      if (file?.fieldname !== 'file')
        throw new AppError('INVALID_INPUT', 'the export must be in a multipart field named file');
      const filename = basename(file.filename || 'export');
      const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'music-import-'));
      try {
        const path = join(dir, 'upload');
        await pipeline(file.file, createWriteStream(path));
        const { format, files } = await inspectExport(path, filename);
        const stored = await options.dataBank.upload(
          { kind: 'path', path },
          { contentType: file.mimetype || 'application/octet-stream' },
        );
        const record: ImportRecord = {
          import_id: `imp_${randomBytes(16).toString('hex')}`,
          user_id: userId,
          service: format,
          file_id: stored.file_id,
          filename,
          size: stored.size,
          files,
          created_at: new Date().toISOString(),
        };
        await options.imports.save(record);
        return await reply.status(201).send({
          import_id: record.import_id,
          service: record.service,
          files,
          filename,
          size: record.size,
          file_id: record.file_id,
          created_at: record.created_at,
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
