/**
 * From an uploaded picture of one digit to the network's 28x28 input, the way MNIST was made: ink
 * (whatever its polarity, under whatever lighting) isolated from paper and specks, cropped, deskewed,
 * fitted into 20x20 and centred by mass in 28x28. See README "Preprocessing".
 */
import { AppError } from '@platform/core';
import { digitMask, thresholdMask } from './preprocess/components.js';
import { centreByMass, crop, deskew, fitBox } from './preprocess/geometry.js';
import { flattenBackground, otsuThreshold, paperLight } from './preprocess/ink.js';
import { raster, resize, type Raster } from './preprocess/raster.js';

/** The pixel statistics the kernel normalises with (python/digits_kernel/model.py). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;
export const INPUT_SIDE = 28;

/** Work on at most this many pixels a side: more only costs time, a digit has no finer detail. */
export const WORKING_SIDE = 96;
/** Below this much contrast between ink and paper there is no ink, only paper texture or noise. */
const MIN_INK_CONTRAST = 0.2;

const noInk = () => new AppError('NO_INK', 'No ink found in the image: send a photo or scan of one written digit', { status: 400 });

function workingCopy(image: Raster): Raster {
  const scale = Math.min(1, WORKING_SIDE / Math.max(image.width, image.height));
  if (scale === 1) return image;
  return resize(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
}

/** The kept ink, scaled so the stroke cores reach 1 like MNIST's, and zero everywhere else. */
function inkOnly(ink: Raster, mask: Uint8Array): Raster {
  let peak = 0;
  for (let i = 0; i < mask.length; i += 1) if (mask[i]) peak = Math.max(peak, ink.data[i] ?? 0);
  const out = raster(ink.width, ink.height);
  // A one-pixel halo around the mask keeps the anti-aliased stroke edges.
  const halo = dilate3x3(mask, ink.width, ink.height);
  for (let i = 0; i < halo.length; i += 1) if (halo[i]) out.data[i] = Math.min(1, (ink.data[i] ?? 0) / (peak * 0.8));
  return out;
}

/** The mask grown by one pixel in all eight directions (separable: rows, then columns). */
function dilate3x3(mask: Uint8Array, width: number, height: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      rows[i] = mask[i] || (x > 0 && mask[i - 1]) || (x + 1 < width && mask[i + 1]) ? 1 : 0;
    }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i += 1)
    out[i] = rows[i] || (i >= width && rows[i - width]) || (i + width < mask.length && rows[i + width]) ? 1 : 0;
  return out;
}

function inkBox(image: Raster) {
  const mask = thresholdMask(image, 0.05);
  return digitMask(mask, image.width, image.height, { keepRatio: 0, minArea: 1 })?.box ?? null;
}

/** Luma in [0, 1] (any polarity) → the digit as ink intensity in [0, 1] on a 28x28 canvas. */
export function isolateDigit(gray: Raster): Raster {
  const ink = flattenBackground(paperLight(workingCopy(gray)));
  let peak = 0;
  for (let i = 0; i < ink.data.length; i += 1) peak = Math.max(peak, ink.data[i] ?? 0);
  if (peak < MIN_INK_CONTRAST) throw noInk();
  const threshold = Math.max(otsuThreshold(ink), MIN_INK_CONTRAST / 2);
  const minArea = Math.max(4, Math.round(ink.width * ink.height * 0.0005));
  const found = digitMask(thresholdMask(ink, threshold), ink.width, ink.height, { minArea });
  if (!found) throw noInk();
  const digit = deskew(crop(inkOnly(ink, found.mask), found.box, 1));
  const box = inkBox(digit);
  if (!box) throw noInk();
  return centreByMass(fitBox(crop(digit, box)), INPUT_SIDE);
}

/** The network input: (ink - mean) / std, as in training. */
export function normalise(digit: Raster): Float32Array {
  return digit.data.map((value) => (value - MNIST_MEAN) / MNIST_STD);
}

/** 8-bit pixels of a digit for `?visualize=1`, in MNIST's polarity (light ink on black). */
export function toPixels(digit: Raster): Uint8Array {
  return Uint8Array.from(digit.data, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
}
