import { AppError } from '@platform/core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

export interface DecodedQr {
  text: string;
  /** The raw bytes, when they are not the UTF-8 of `text` (binary payloads). */
  bytes_b64?: string;
  position: Record<'top_left' | 'top_right' | 'bottom_right' | 'bottom_left', { x: number; y: number }>;
}

const DECODE_FORMATS = ['png', 'jpeg', 'webp'] as const;

/**
 * Loads ZXing's WebAssembly from the installed package (its default fetches it from a CDN, which
 * a server must not depend on). Idempotent.
 */
export async function loadDecoder(): Promise<void> {
  const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  const wasm = await readFile(wasmPath);
  const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
}

/**
 * Reads the header only, so a decompression bomb is refused before a pixel is decoded: 415 for a
 * format other than PNG, JPEG or WebP, 413 for more than `maxPixels` pixels.
 */
export async function checkImageHeader(image: Buffer, maxPixels: number): Promise<void> {
  let metadata: Metadata;
  try {
    // No pixel limit here (metadata decodes nothing), so an oversized image gets our 413, not an opaque failure.
    metadata = await sharp(image, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The upload is not a PNG, JPEG or WebP image');
  }
  if (!(DECODE_FORMATS as readonly string[]).includes(metadata.format)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Images of format ${metadata.format} are not accepted; send PNG, JPEG or WebP`);
  }
  const pixels = metadata.width * (metadata.pageHeight ?? metadata.height) * (metadata.pages ?? 1);
  if (pixels > maxPixels) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The image is ${metadata.width}x${metadata.height} (${pixels} pixels); the limit is ${maxPixels} pixels`,
    );
  }
}

/**
 * Every QR code (regular, Micro, rMQR) found in a PNG/JPEG/WebP image whose header passed
 * `checkImageHeader`; 422 when there is none. ZXing runs synchronously, for up to seconds on a
 * large image: uploads are read on a worker thread of the CPU pool (see qr-pool.ts).
 */
export async function readCodes(image: Buffer, maxPixels: number): Promise<DecodedQr[]> {
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(image, { limitInputPixels: maxPixels, failOn: 'error' })
      // Transparent light modules would read as black: put the code on white paper first.
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new AppError('INVALID_INPUT', 'The image could not be decoded (corrupt or truncated)', { cause: error });
  }
  const { data, info } = raw;
  const results = await readBarcodes(
    {
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      colorSpace: 'srgb',
    },
    { formats: ['QRCode', 'MicroQRCode', 'RMQRCode'], tryHarder: true, maxNumberOfSymbols: 32 },
  );
  const found = results.filter((result) => result.isValid);
  if (found.length === 0) throw new AppError('UNPROCESSABLE_ENTITY', 'No QR code was found in the image');
  return found.map((result) => {
    const bytes = Buffer.from(result.bytes);
    const point = (p: { x: number; y: number }) => ({ x: p.x, y: p.y });
    const decoded: DecodedQr = {
      text: result.text,
      position: {
        top_left: point(result.position.topLeft),
        top_right: point(result.position.topRight),
        bottom_right: point(result.position.bottomRight),
        bottom_left: point(result.position.bottomLeft),
      },
    };
    if (!bytes.equals(Buffer.from(result.text, 'utf8'))) decoded.bytes_b64 = bytes.toString('base64');
    return decoded;
  });
}
