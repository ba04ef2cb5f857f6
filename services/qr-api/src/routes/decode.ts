import multipart from '@fastify/multipart';
import { AppError, withMultipartFile, type PlatformApp } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import type { QrPool } from '../services/qr-pool.js';

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
  pool: QrPool;
}

async function uploadedImage(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError('INVALID_INPUT', 'The request body is empty');
    return request.body;
  }
  const { result: image } = await withMultipartFile(request, { maxBytes }, async (part) => buffer(part.stream));
  if (image.length === 0) throw new AppError('INVALID_INPUT', 'file: the uploaded file is empty');
  return image;
}

/** Encapsulated: this scope accepts only image bodies (raw or multipart), up to its own size limit. */
export async function decodeRoutes(app: PlatformApp, options: DecodeRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: options.maxBytes }, (_request, body, done) => {
    done(null, body);
  });
  // Limits come from withMultipartFile, per request.
  await app.register(multipart);

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
      return { results: await options.pool.decode(image, options.maxPixels) };
    },
  );
}
