import { AppError, type PlatformApp } from '@platform/core';
import { ZipFile } from 'yazl';
import { BATCH_MAX_ITEMS, batchRequestSchema } from '../models/request.js';
import { generateQr } from '../services/generate.js';
import type { QrDefaults } from '../services/render.js';

export function batchRoutes(app: PlatformApp, defaults: QrDefaults): void {
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
      const names = new Set<string>();
      const files: { name: string; body: Buffer; compress: boolean }[] = [];
      for (const [index, item] of request.body.items.entries()) {
        const prefix = `body.items.${index}.`;
        const { data, url, name, ...input } = item;
        const image = await generateQr({ data, url }, input, input.format ?? 'png', defaults, prefix);
        const fileName = `${name ?? `qr-${String(index + 1).padStart(3, '0')}`}.${image.extension}`;
        if (names.has(fileName)) {
          const message = `duplicate file name ${fileName}`;
          throw new AppError('INVALID_INPUT', `${prefix}name: ${message}`, { details: [{ path: `${prefix}name`, message }] });
        }
        names.add(fileName);
        files.push({ name: fileName, body: image.body, compress: image.extension !== 'png' });
      }
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
