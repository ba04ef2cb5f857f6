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
 * One request's image from `data` or the `url` shorthand: payload text, defaults applied, rendered. `prefix` ('items.3.') names the
 * batch item in error paths.
 */
export async function generateQr(
  body: { data?: Payload | undefined; url?: string | undefined },
  input: RenderOptionsInput,
  format: Format,
  defaults: QrDefaults,
  prefix = '',
): Promise<GeneratedQr> {
  const text = body.data ? encodePayload(body.data, `${prefix}data`) : normaliseUrl(body.url ?? '', `${prefix}url`);
  const options = resolveOptions(input, defaults, format, prefix);
  const rendered = await renderQr(text, options, prefix);
  const etag = `"${createHash('sha256').update(rendered.body).digest('base64url').slice(0, 32)}"`;
  return { ...rendered, etag };
}
