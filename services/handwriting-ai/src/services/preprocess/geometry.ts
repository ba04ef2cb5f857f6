import type { Box } from './components.js';
import { raster, resize, type Raster } from './raster.js';

export function crop(image: Raster, box: Box, margin = 0): Raster {
  const left = Math.max(0, box.left - margin);
  const top = Math.max(0, box.top - margin);
  const right = Math.min(image.width - 1, box.right + margin);
  const bottom = Math.min(image.height - 1, box.bottom + margin);
  const out = raster(right - left + 1, bottom - top + 1);
  for (let y = 0; y < out.height; y += 1)
    out.data.set(image.data.subarray((top + y) * image.width + left, (top + y) * image.width + right + 1), y * out.width);
  return out;
}

interface Moments {
  mass: number;
  cx: number;
  cy: number;
  /** Central second moments. */
  xy: number;
  yy: number;
}

function moments(image: Raster): Moments {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < image.height; y += 1)
    for (let x = 0; x < image.width; x += 1) {
      const v = image.data[y * image.width + x] ?? 0;
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  const cx = mass > 0 ? sx / mass : (image.width - 1) / 2;
  const cy = mass > 0 ? sy / mass : (image.height - 1) / 2;
  let xy = 0;
  let yy = 0;
  for (let y = 0; y < image.height; y += 1)
    for (let x = 0; x < image.width; x += 1) {
      const v = image.data[y * image.width + x] ?? 0;
      xy += v * (x - cx) * (y - cy);
      yy += v * (y - cy) ** 2;
    }
  return { mass, cx, cy, xy: mass > 0 ? xy / mass : 0, yy: mass > 0 ? yy / mass : 0 };
}

/**
 * Removes the slant of the strokes: the shear x' = x - s (y - cy) with s = mu11 / mu02 makes the
 * principal axis vertical (the classic moment deskew of MNIST experiments). |s| is capped at 1 (45°),
 * beyond which the ink is more likely a rotated page than a slanted hand.
 */
export function deskew(image: Raster): Raster {
  const m = moments(image);
  if (m.yy < 1e-6) return image;
  const shear = Math.max(-1, Math.min(1, m.xy / m.yy));
  if (Math.abs(shear) < 0.01) return image;
  // Output column x' samples source column x' - pad + shear (y - cy); pad and the width leave room for
  // the sheared rows on both sides.
  const ends = [shear * -m.cy, shear * (image.height - 1 - m.cy)];
  const pad = Math.ceil(Math.max(...ends));
  const out = raster(image.width + pad - Math.floor(Math.min(...ends)), image.height);
  for (let y = 0; y < out.height; y += 1) {
    const row = y * image.width;
    for (let x = 0; x < out.width; x += 1) {
      const source = x - pad + shear * (y - m.cy);
      const left = Math.floor(source);
      const t = source - left;
      const a = left >= 0 && left < image.width ? (image.data[row + left] ?? 0) : 0;
      const b = left + 1 < image.width && left + 1 >= 0 ? (image.data[row + left + 1] ?? 0) : 0;
      out.data[y * out.width + x] = a * (1 - t) + b * t;
    }
  }
  return out;
}

/** Longest side to `side` pixels, keeping the aspect ratio (the MNIST 20x20 box). */
export function fitBox(image: Raster, side = 20): Raster {
  const scale = side / Math.max(image.width, image.height);
  return resize(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
}

/** Pastes `image` into a `size` x `size` canvas so its centre of mass lands on the canvas centre. */
export function centreByMass(image: Raster, size = 28): Raster {
  const m = moments(image);
  const out = raster(size, size);
  const dx = Math.round(size / 2 - 0.5 - m.cx);
  const dy = Math.round(size / 2 - 0.5 - m.cy);
  for (let y = 0; y < image.height; y += 1) {
    const ty = y + dy;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < image.width; x += 1) {
      const tx = x + dx;
      if (tx >= 0 && tx < size) out.data[ty * size + tx] = image.data[y * image.width + x] ?? 0;
    }
  }
  return out;
}
