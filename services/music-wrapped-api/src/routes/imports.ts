import multipart from '@fastify/multipart';
import { type PlatformApp, requestUser } from '@platform/core';
import { z } from 'zod';
import { importExport, type ImportsDeps } from '../services/imports.js';

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
export async function importRoutes(app: PlatformApp, deps: ImportsDeps): Promise<void> {
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
    async (request, reply) => reply.status(201).send(await importExport(deps, request, requestUser(request))),
  );
}
