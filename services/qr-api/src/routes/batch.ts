import type { PlatformApp } from '@platform/core';
import { ZipFile } from 'yazl';
import { BATCH_MAX_ITEMS, batchRequestSchema } from '../models/request.js';
import type { QrPool } from '../services/qr-pool.js';
import type { QrDefaults } from '../services/render.js';

export function batchRoutes(app: PlatformApp, defaults: QrDefaults, pool: QrPool): void {
  app.post(
    '/v1/qr/batch',
    {
      config: { auth: 'public' },
      schema: {
        summary: `Make up to ${BATCH_MAX_ITEMS} QR codes at once, answered as a streamed zip`,
        body: batchRequestSchema,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      // Every item is rendered before the first byte is sent, so a bad item is still a clean 400
      // naming it rather than a truncated zip.
      const files = await pool.renderBatch(request.body.items, defaults);
      const zip = new ZipFile();
      for (const file of files) zip.addBuffer(file.body, file.name, { compress: file.compress });
      zip.end();
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', 'attachment; filename="qr-codes.zip"')
        .send(zip.outputStream);
    },
  );
}
