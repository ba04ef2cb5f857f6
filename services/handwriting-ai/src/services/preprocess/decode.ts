import { AppError } from '@platform/core';
import sharp, { type Metadata } from 'sharp';
import { toGray, type Raster } from './raster.js';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'bmp'] as const;

export interface ImageLimits {
  /** Most pixels (width x height) an upload may decode to. */
  maxPixels: number;
  /** Longest side accepted, in pixels. */
  maxSide: number;
}

/**
 * Reads the header only, so a decompression bomb or an unsupported format is refused before a pixel is
 * decoded: 415 for another format, 413 over the pixel or side limit.
 */
export async function checkImageHeader(image: Buffer, limits: ImageLimits): Promise<Metadata> {
  let metadata: Metadata;
  try {
    metadata = await sharp(image, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `The upload is not an image of a known format (${IMAGE_FORMATS.join(', ')})`);
  }
  if (!(IMAGE_FORMATS as readonly string[]).includes(metadata.format)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Images of format ${metadata.format} are not accepted; send ${IMAGE_FORMATS.join(', ')}`);
  }
  const { width, height } = metadata;
  if (width * height > limits.maxPixels || Math.max(width, height) > limits.maxSide) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The image is ${width}x${height}; the limits are ${limits.maxPixels} pixels and ${limits.maxSide} px a side`,
    );
  }
  return metadata;
}

/**
 * Above this many working sides, libvips shrinks the image while decoding (a JPEG decodes at 1/2-1/8 scale):
 * a 12 MP photo takes ~6 ms instead of ~120 ms. Below it, libvips' resize costs more than our binning.
 */
const SHRINK_WHILE_DECODING = 4;

/**
 * The first frame, upright by its EXIF orientation, as luma in [0, 1] (transparency shows white paper),
 * binned by whole blocks while the longest side stays at least `workingSide` (callers resample the rest).
 * `side` is the longest side the header announced (`checkImageHeader`).
 */
export async function decodeGray(image: Buffer, limits: ImageLimits, workingSide: number, side: number): Promise<Raster> {
  try {
    let pipeline = sharp(image, { limitInputPixels: limits.maxPixels, failOn: 'error', pages: 1 }).rotate();
    if (side > SHRINK_WHILE_DECODING * workingSide)
      pipeline = pipeline.resize({ width: 2 * workingSide, height: 2 * workingSide, fit: 'inside' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const bin = Math.max(1, Math.floor(Math.max(info.width, info.height) / workingSide));
    return toGray(data, info.width, info.height, info.channels, bin);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The image could not be decoded: ${(error as Error).message}`);
  }
}
