import multipart from '@fastify/multipart';
import { AppError, type PlatformApp } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decodeImage } from '../services/decode.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];

const point = z.object({ x: z.number(), y: z.number() });
const decodeResponse = z.object({
  results: z.array(
    z.object({
      text: z.string(),
      bytes_b64: z.string().optional(),
      position: z.object({ top_left: point, top_right: point, bottom_right: point, bottom_left: point }),
    }),
  ),
});

export interface DecodeRouteOptions {
  maxBytes: number;
  maxPixels: number;
}

async function uploadedImage(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError('INVALID_INPUT', 'The request body is empty');
    return request.body;
  }
  const file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (file?.fieldname !== 'file') throw new AppError('INVALID_INPUT', 'file: a multipart upload needs the image in a field named file');
  const image = await file.toBuffer();
  if (image.length === 0) throw new AppError('INVALID_INPUT', 'file: the uploaded file is empty');
  return image;
}

/** Encapsulated: this scope accepts only image bodies (raw or multipart), up to its own size limit. */
export async function decodeRoutes(app: PlatformApp, options: DecodeRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: options.maxBytes }, (_request, body, done) => {
    done(null, body);
  });
  await app.register(multipart, { limits: { fileSize: options.maxBytes, files: 1, fields: 0 }, throwFileSizeLimit: true });

  app.post(
    '/v1/qr/decode',
    {
      bodyLimit: options.maxBytes,
      config: { auth: 'public' },
      schema: {
        summary: 'Read the QR codes in a PNG, JPEG or WebP image (raw body, or multipart field "file")',
        consumes: [...IMAGE_TYPES, 'multipart/form-data'],
        response: { 200: decodeResponse },
      },
    },
    async (request) => {
      const image = await uploadedImage(request, options.maxBytes);
      return { results: await decodeImage(image, options.maxPixels) };
    },
  );
}
