import type { PlatformApp } from '@platform/core';
import { AppError } from '@platform/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { Format } from '../models/options.js';
import { qrQuerySchema, qrRequestSchema } from '../models/request.js';
import { generateQr, type GeneratedQr } from '../services/generate.js';
import type { QrDefaults } from '../services/render.js';

const MEDIA_TYPES: Record<string, Format> = { 'image/png': 'png', 'image/svg+xml': 'svg', 'text/plain': 'text' };

/** `format` wins; else the Accept header (PNG when absent or a wildcard); 406 when nothing offered fits. */
function chooseFormat(request: FastifyRequest, format: Format | undefined): Format {
  if (format !== undefined) return format;
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return 'png';
  const preferred = new Negotiator({ headers: { accept } }).mediaType(Object.keys(MEDIA_TYPES));
  const chosen = preferred === undefined ? undefined : MEDIA_TYPES[preferred];
  if (chosen === undefined) {
    throw new AppError('NOT_ACCEPTABLE', 'Accept allows none of image/png, image/svg+xml, text/plain', { status: 406 });
  }
  return chosen;
}

function sendImage(reply: FastifyReply, image: GeneratedQr, cacheControl: string | undefined): FastifyReply {
  void reply
    .header('content-type', image.contentType)
    .header('etag', image.etag)
    .header('content-disposition', `inline; filename="qr.${image.extension}"`)
    .header('vary', 'Accept')
    .header('x-qr-version', String(image.version));
  if (cacheControl !== undefined) void reply.header('cache-control', cacheControl);
  return reply.send(image.body);
}

const notModified = (request: FastifyRequest, etag: string): boolean =>
  (request.headers['if-none-match'] ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');

export interface QrRouteOptions {
  defaults: QrDefaults;
  cacheMaxAgeS: number;
}

export function qrRoutes(app: PlatformApp, options: QrRouteOptions): void {
  const produces = ['image/png', 'image/svg+xml', 'text/plain'];

  app.post(
    '/v1/qr',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Make a QR code (PNG, SVG or text) from a URL, text, Wi-Fi, e-mail, phone, SMS, geo or vCard payload',
        body: qrRequestSchema,
        produces,
      },
    },
    async (request, reply) => {
      const { data, url, ...input } = request.body;
      const image = await generateQr({ data, url }, input, chooseFormat(request, input.format), options.defaults, 'body.');
      return sendImage(reply, image, undefined);
    },
  );

  app.get(
    '/v1/qr',
    {
      config: { auth: 'public' },
      schema: { summary: 'A QR code for a link, with the options as query parameters (cacheable)', querystring: qrQuerySchema, produces },
    },
    async (request, reply) => {
      const { url, ...input } = request.query;
      const image = await generateQr({ url }, input, chooseFormat(request, input.format), options.defaults, 'querystring.');
      const cacheControl = `public, max-age=${options.cacheMaxAgeS}`;
      if (notModified(request, image.etag)) {
        return reply.status(304).header('etag', image.etag).header('cache-control', cacheControl).header('vary', 'Accept').send();
      }
      return sendImage(reply, image, cacheControl);
    },
  );
}
