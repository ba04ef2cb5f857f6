import { AppError } from '@platform/core';
import * as bmp from 'bmp-ts';
import sharp from 'sharp';
import { toGray, type Raster } from './raster.js';

const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'bmp'] as const;

export interface ImageLimits {
  /** Most pixels (width x height) an upload may decode to. */
  maxPixels: number;
  /** Longest side accepted, in pixels. */
  maxSide: number;
}

export interface ImageHeader {
  format: string;
  width: number;
  height: number;
}

const notAnImage = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `The upload is not an image of a known format (${IMAGE_FORMATS.join(', ')})`);

// sharp (libvips) has no BMP loader: BMP's size comes from its header here and its pixels from bmp-ts.
const isBmp = (image: Buffer) => image.length >= 2 && image.toString('latin1', 0, 2) === 'BM';

/** The size in a BMP's header: BITMAPCOREHEADER (12 bytes, 16-bit sides) or a later one (32-bit, height signed). */
function bmpHeader(image: Buffer): ImageHeader {
  if (image.length < 26) throw notAnImage();
  const core = image.readUInt32LE(14) === 12;
  const width = core ? image.readUInt16LE(18) : Math.abs(image.readInt32LE(18));
  const height = core ? image.readUInt16LE(20) : Math.abs(image.readInt32LE(22));
  return { format: 'bmp', width, height };
}

async function sharpHeader(image: Buffer): Promise<ImageHeader> {
  try {
    return await sharp(image, { limitInputPixels: false }).metadata();
  } catch {
    throw notAnImage();
  }
}

/**
 * Reads the header only, so a decompression bomb or an unsupported format is refused before a pixel is
 * decoded: 415 for another format, 413 over the pixel or side limit.
 */
export async function checkImageHeader(image: Buffer, limits: ImageLimits): Promise<ImageHeader> {
  const header = isBmp(image) ? bmpHeader(image) : await sharpHeader(image);
  if (!(IMAGE_FORMATS as readonly string[]).includes(header.format)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Images of format ${header.format} are not accepted; send ${IMAGE_FORMATS.join(', ')}`);
  }
  const { width, height } = header;
  if (width * height > limits.maxPixels || Math.max(width, height) > limits.maxSide) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The image is ${width}x${height}; the limits are ${limits.maxPixels} pixels and ${limits.maxSide} px a side`,
    );
  }
  return header;
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
    if (isBmp(image)) {
      const bitmap = bmp.decode(image, { toRGBA: true });
      // BMP's fourth byte is padding in most files (0, which would read as fully transparent): ignored.
      const bin = Math.max(1, Math.floor(Math.max(bitmap.width, bitmap.height) / workingSide));
      return toGray(bitmap.data, bitmap.width, bitmap.height, 4, bin, false);
    }
    let pipeline = sharp(image, { limitInputPixels: limits.maxPixels, failOn: 'error', pages: 1 }).rotate();
    if (side > SHRINK_WHILE_DECODING * workingSide)
      pipeline = pipeline.resize({ width: 2 * workingSide, height: 2 * workingSide, fit: 'inside' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const bin = Math.max(1, Math.floor(Math.max(info.width, info.height) / workingSide));
    return toGray(data, info.width, info.height, info.channels, bin);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The image could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
