import type { Raster } from './raster.js';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The pixels of the ink that makes up the digit: 8-connected components of the mask, keeping the
 * largest and every other one at least `keepRatio` of its size (the separate strokes of a 4 or a 5),
 * and dropping specks. Returns null when no component has `minArea` pixels.
 */
export function digitMask(
  mask: Uint8Array,
  width: number,
  height: number,
  { keepRatio = 0.1, minArea = 4 }: { keepRatio?: number; minArea?: number } = {},
): { mask: Uint8Array; box: Box } | null {
  const labels = new Int32Array(width * height).fill(-1);
  const areas: number[] = [];
  // Each pixel is pushed at most once, so the stack never holds more than the image.
  const stack = new Int32Array(width * height);
  let top = 0;
  for (let start = 0; start < mask.length; start += 1) {
    if (mask[start] === 0 || labels[start] !== -1) continue;
    const label = areas.length;
    let area = 0;
    labels[start] = label;
    stack[top++] = start;
    while (top > 0) {
      const at = stack[--top] ?? 0;
      area += 1;
      const x = at % width;
      const y = (at - x) / width;
      for (let dy = -1; dy <= 1; dy += 1) {
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const next = ny * width + nx;
          if (mask[next] === 0 || labels[next] !== -1) continue;
          labels[next] = label;
          stack[top++] = next;
        }
      }
    }
    areas.push(area);
  }
  const largest = areas.reduce((most, area) => Math.max(most, area), 0);
  if (largest < minArea) return null;
  const keep = areas.map((area) => area >= Math.max(minArea, largest * keepRatio));
  const kept = new Uint8Array(width * height);
  const box: Box = { left: width, top: height, right: -1, bottom: -1 };
  for (let i = 0; i < labels.length; i += 1) {
    if (labels[i] === -1 || !keep[labels[i] ?? 0]) continue;
    kept[i] = 1;
    const x = i % width;
    const y = (i - x) / width;
    box.left = Math.min(box.left, x);
    box.right = Math.max(box.right, x);
    box.top = Math.min(box.top, y);
    box.bottom = Math.max(box.bottom, y);
  }
  return { mask: kept, box };
}

/** Threshold `image` at `threshold` into a 0/1 mask. */
export function thresholdMask(image: Raster, threshold: number): Uint8Array {
  const mask = new Uint8Array(image.data.length);
  for (let i = 0; i < mask.length; i += 1) mask[i] = (image.data[i] ?? 0) >= threshold ? 1 : 0;
  return mask;
}
