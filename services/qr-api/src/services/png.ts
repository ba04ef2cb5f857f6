import { crc32, deflateSync } from 'node:zlib';
import type { Rgba } from '../models/colour.js';
import type { QrMatrix } from './matrix.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface PngOptions {
  scale: number;
  margin: number;
  dark: Rgba;
  light: Rgba;
}

/**
 * A QR matrix as a 1-bit palette PNG (index 0 light, 1 dark; tRNS when a colour is translucent).
 * A two-colour image packs 8 pixels a byte and its rows repeat, so it deflates tiny and fast; this is
 * what makes the service an order of magnitude faster than RGBA rasterisers.
 */
export function encodePng(matrix: QrMatrix, options: PngOptions): Buffer {
  const { scale, margin, dark, light } = options;
  const width = (matrix.size + 2 * margin) * scale;
  const stride = 1 + Math.ceil(width / 8); // filter byte (0 = None) + packed pixels
  const raw = new Uint8Array(stride * width); // zero = light everywhere, quiet zone included
  for (let y = 0; y < matrix.size; y++) {
    // Draw the first pixel row of this module row, then repeat it `scale` times.
    const first = (y + margin) * scale * stride;
    for (let x = 0; x < matrix.size; x++) {
      if (matrix.data[y * matrix.size + x] !== 1) continue;
      const start = (x + margin) * scale;
      for (let px = start; px < start + scale; px++) {
        const at = first + 1 + (px >> 3);
        raw[at] = (raw[at] ?? 0) | (0x80 >> (px & 7));
      }
    }
    for (let repeat = 1; repeat < scale; repeat++) raw.copyWithin(first + repeat * stride, first, first + stride);
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([1, 3, 0, 0, 0], 8); // bit depth 1, colour type 3 (palette), deflate, adaptive filter, no interlace
  const chunks = [pngChunk('IHDR', header), pngChunk('PLTE', Buffer.from([light.r, light.g, light.b, dark.r, dark.g, dark.b]))];
  if (light.a < 255 || dark.a < 255) chunks.push(pngChunk('tRNS', Buffer.from([light.a, dark.a])));
  chunks.push(pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([SIGNATURE, ...chunks]);
}
