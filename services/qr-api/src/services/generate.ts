import { createHash } from 'node:crypto';
import type { Format, RenderOptionsInput } from '../models/options.js';
import type { Payload } from '../models/payload.js';
import { encodePayload } from './payload.js';
import { normaliseUrl } from './url.js';
import { renderQr, resolveOptions, type QrDefaults, type RenderedQr } from './render.js';

export interface GeneratedQr extends RenderedQr {
  etag: string;
}

/**
 * One request's image from `data` or the `url` shorthand: payload text, defaults applied, rendered.
 * `prefix` ('body.', 'querystring.', 'body.items.3.') makes error paths match the schema validation's.
 */
export async function generateQr(
  body: { data?: Payload | undefined; url?: string | undefined },
  input: RenderOptionsInput,
  format: Format,
  defaults: QrDefaults,
  prefix = '',
): Promise<GeneratedQr> {
  const payloadPath = `${prefix}${body.data ? 'data' : 'url'}`;
  const text = body.data ? encodePayload(body.data, payloadPath) : normaliseUrl(body.url ?? '', payloadPath);
  const options = resolveOptions(input, defaults, format, prefix);
  const rendered = await renderQr(text, options, prefix, payloadPath);
  const etag = `"${createHash('sha256').update(rendered.body).digest('base64url').slice(0, 32)}"`;
  return { ...rendered, etag };
}
