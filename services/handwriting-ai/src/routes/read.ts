import multipart from '@fastify/multipart';
import { AppError, withMultipartFile, type PlatformApp } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { INPUT_SIDE } from '../services/preprocess.js';
import type { ImageLimits } from '../services/preprocess/decode.js';
import type { PreprocessPool } from '../services/preprocess-pool.js';
import type { DigitServer } from '../services/digit-server.js';
import { readDigits } from '../services/reader.js';

export interface ReadRouteOptions {
  pool: PreprocessPool;
  server: DigitServer;
  limits: ImageLimits;
  maxUploadBytes: number;
  uncertainBelow: number;
}

const flag = z.enum(['0', '1', 'true', 'false']).optional().transform((value) => value === '1' || value === 'true');
const ReadQuery = z.object({ visualize: flag, tta: flag });

const ReadResponse = z.object({
  digit: z.number().int(),
  confidence: z.number(),
  probabilities: z.array(z.number()),
  top3: z.array(z.object({ digit: z.number().int(), probability: z.number() })),
  uncertain: z.boolean(),
  model_id: z.string(),
  latency_ms: z.number(),
  visual_png_b64: z.string().optional(),
});

async function uploadedImage(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  const { result } = await withMultipartFile(request, { field: 'image', maxBytes }, async (part) => buffer(part.stream));
  if (result.length === 0) throw new AppError('INVALID_INPUT', 'image: the uploaded file is empty');
  return result;
}

const visualPng = async (pixels: Uint8Array) =>
  (await sharp(Buffer.from(pixels), { raw: { width: INPUT_SIDE, height: INPUT_SIDE, channels: 1 } }).png().toBuffer()).toString('base64');

export async function readRoutes(app: PlatformApp, options: ReadRouteOptions): Promise<void> {
  await app.register(multipart);
  app.post(
    '/v1/read',
    {
      bodyLimit: options.maxUploadBytes + 64 * 1024,
      config: { auth: 'read' },
      schema: {
        summary: 'Read one handwritten digit from an image (multipart field "image": PNG, JPEG, WebP, GIF, TIFF)',
        consumes: ['multipart/form-data'],
        querystring: ReadQuery,
        response: { 200: ReadResponse },
      },
    },
    async (request) => {
      const started = performance.now();
      const query = request.query;
      const image = await uploadedImage(request, options.maxUploadBytes);
      const input = await options.pool.preprocess(image, options.limits, query.visualize);
      const { readings, modelId } = await readDigits(options.server, [input.input], { tta: query.tta, uncertainBelow: options.uncertainBelow });
      const [reading] = readings;
      if (!reading) throw new Error('the model answered no reading');
      return {
        ...reading,
        model_id: modelId,
        latency_ms: performance.now() - started,
        ...(input.pixels && { visual_png_b64: await visualPng(input.pixels) }),
      };
    },
  );
}
