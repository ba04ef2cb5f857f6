import multipart from '@fastify/multipart';
import { AppError, withMultipartFile, withMultipartFiles, type PlatformApp } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import type { ImageLimits } from '../services/preprocess/decode.js';
import type { PreprocessPool } from '../services/preprocess-pool.js';
import type { DigitServer } from '../services/digit-server.js';
import { MAX_BATCH_IMAGES, readBatch } from '../services/batch-reader.js';
import { readImage } from '../services/image-reader.js';

export interface ReadRouteOptions {
  pool: PreprocessPool;
  server: DigitServer;
  limits: ImageLimits;
  maxUploadBytes: number;
  uncertainBelow: number;
}

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((value) => value === '1' || value === 'true');
const ReadQuery = z.object({ visualize: flag, tta: flag });

const BatchQuery = z.object({ tta: flag });

const ReadingFields = {
  digit: z.number().int(),
  confidence: z.number(),
  probabilities: z.array(z.number()),
  top3: z.array(z.object({ digit: z.number().int(), probability: z.number() })),
  uncertain: z.boolean(),
};
const ReadResponse = z.object({
  ...ReadingFields,
  model_id: z.string(),
  latency_ms: z.number(),
  visual_png_b64: z.string().optional(),
});

const BatchEntryView = z.union([
  z.object({ index: z.number().int(), filename: z.string(), ...ReadingFields }),
  z.object({
    index: z.number().int(),
    filename: z.string(),
    error: z.object({ code: z.string(), message: z.string(), status: z.number().int() }),
  }),
]);
const BatchResponse = z.object({ results: z.array(BatchEntryView), model_id: z.string().nullable(), latency_ms: z.number() });

const emptyImage = () => new AppError('INVALID_INPUT', 'image: the uploaded file is empty');

async function uploadedImages(request: FastifyRequest, maxBytes: number) {
  const { results } = await withMultipartFiles(
    request,
    { field: ['images', 'image'], maxBytes, maxFiles: MAX_BATCH_IMAGES },
    async (part) => ({ image: await buffer(part.stream), filename: part.filename }),
  );
  if (results.some(({ image }) => image.length === 0)) throw emptyImage();
  return results;
}

async function uploadedImage(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  const { result } = await withMultipartFile(request, { field: 'image', maxBytes }, async (part) => buffer(part.stream));
  if (result.length === 0) throw emptyImage();
  return result;
}

export async function readRoutes(app: PlatformApp, options: ReadRouteOptions): Promise<void> {
  await app.register(multipart);
  app.post(
    '/v1/read',
    {
      bodyLimit: options.maxUploadBytes + 64 * 1024,
      config: { auth: 'read' },
      schema: {
        summary: 'Read one handwritten digit from an image (multipart field "image": PNG, JPEG, WebP, GIF, BMP, TIFF)',
        consumes: ['multipart/form-data'],
        querystring: ReadQuery,
        response: { 200: ReadResponse },
      },
    },
    async (request) => {
      const started = performance.now();
      const { visualize, tta } = request.query;
      const image = await uploadedImage(request, options.maxUploadBytes);
      const { modelId, visualPngB64, ...reading } = await readImage(options.server, options.pool, image, {
        tta,
        visualize,
        uncertainBelow: options.uncertainBelow,
        limits: options.limits,
      });
      return {
        ...reading,
        model_id: modelId,
        latency_ms: performance.now() - started,
        ...(visualPngB64 !== undefined && { visual_png_b64: visualPngB64 }),
      };
    },
  );
  app.post(
    '/v1/read/batch',
    {
      bodyLimit: MAX_BATCH_IMAGES * (options.maxUploadBytes + 64 * 1024),
      config: { auth: 'read' },
      schema: {
        summary: `Read up to ${String(MAX_BATCH_IMAGES)} digits in one model run (multipart fields "images", repeated, or "image")`,
        consumes: ['multipart/form-data'],
        querystring: BatchQuery,
        response: { 200: BatchResponse },
      },
    },
    async (request) => {
      const started = performance.now();
      const images = await uploadedImages(request, options.maxUploadBytes);
      const { results, modelId } = await readBatch(options.server, options.pool, images, {
        tta: request.query.tta,
        uncertainBelow: options.uncertainBelow,
        limits: options.limits,
      });
      return { results, model_id: modelId, latency_ms: performance.now() - started };
    },
  );
}
