/** A single-channel float image, row-major. Values are in [0, 1] unless a function says otherwise. */
export interface Raster {
  width: number;
  height: number;
  data: Float32Array;
}

export const raster = (width: number, height: number, data = new Float32Array(width * height)): Raster => ({
  width,
  height,
  data,
});

/** Interleaved 8-bit pixels (1-4 channels) to luma in [0, 1]; alpha is composited over white paper. */
export function toGray(pixels: Uint8Array, width: number, height: number, channels: number): Raster {
  const out = raster(width, height);
  const hasAlpha = channels === 2 || channels === 4;
  for (let i = 0; i < width * height; i += 1) {
    const p = i * channels;
    const luma =
      channels >= 3 ? 0.299 * (pixels[p] ?? 0) + 0.587 * (pixels[p + 1] ?? 0) + 0.114 * (pixels[p + 2] ?? 0) : (pixels[p] ?? 0);
    const alpha = hasAlpha ? (pixels[p + channels - 1] ?? 0) / 255 : 1;
    out.data[i] = (luma / 255) * alpha + (1 - alpha);
  }
  return out;
}

/**
 * Resamples to `width` x `height`: area averaging when shrinking (each output pixel is the mean of the
 * input it covers, fractional edges weighted), bilinear when growing. Done per axis.
 */
export function resize(image: Raster, width: number, height: number): Raster {
  return resampleRows(transpose(resampleRows(transpose(image), height)), width);
}

function transpose(image: Raster): Raster {
  const out = raster(image.height, image.width);
  for (let y = 0; y < image.height; y += 1)
    for (let x = 0; x < image.width; x += 1) out.data[x * image.height + y] = (image.data[y * image.width + x] ?? 0);
  return out;
}

/** Resamples every row to `width` samples. */
function resampleRows(image: Raster, width: number): Raster {
  const out = raster(width, image.height);
  const scale = image.width / width;
  for (let y = 0; y < image.height; y += 1) {
    const row = y * image.width;
    for (let x = 0; x < width; x += 1) {
      out.data[y * width + x] =
        scale > 1 ? areaSample(image.data, row, image.width, x * scale, (x + 1) * scale) : linearSample(image.data, row, image.width, (x + 0.5) * scale - 0.5);
    }
  }
  return out;
}

function areaSample(data: Float32Array, row: number, length: number, from: number, to: number): number {
  let sum = 0;
  for (let i = Math.floor(from); i < Math.min(length, Math.ceil(to)); i += 1) {
    const weight = Math.min(to, i + 1) - Math.max(from, i);
    sum += (data[row + i] ?? 0) * weight;
  }
  return sum / (to - from);
}

function linearSample(data: Float32Array, row: number, length: number, at: number): number {
  const clamped = Math.min(Math.max(at, 0), length - 1);
  const left = Math.floor(clamped);
  const right = Math.min(left + 1, length - 1);
  const t = clamped - left;
  return (data[row + left] ?? 0) * (1 - t) + (data[row + right] ?? 0) * t;
}

/** Per-row sliding-window maximum of half-width `radius` (windows clipped at the edges). */
function rowMax(image: Raster, radius: number): Raster {
  const out = raster(image.width, image.height);
  for (let y = 0; y < image.height; y += 1) {
    const row = y * image.width;
    for (let x = 0; x < image.width; x += 1) {
      let best = 0;
      for (let i = Math.max(0, x - radius); i <= Math.min(image.width - 1, x + radius); i += 1)
        best = Math.max(best, (image.data[row + i] ?? 0));
      out.data[row + x] = best;
    }
  }
  return out;
}

/** Per-row box mean of half-width `radius` (windows clipped at the edges), with a running sum. */
function rowMean(image: Raster, radius: number): Raster {
  const out = raster(image.width, image.height);
  for (let y = 0; y < image.height; y += 1) {
    const row = y * image.width;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < Math.min(radius, image.width); i += 1) {
      sum += (image.data[row + i] ?? 0);
      count += 1;
    }
    for (let x = 0; x < image.width; x += 1) {
      const enter = x + radius;
      const leave = x - radius - 1;
      if (enter < image.width) {
        sum += (image.data[row + enter] ?? 0);
        count += 1;
      }
      if (leave >= 0) {
        sum -= (image.data[row + leave] ?? 0);
        count -= 1;
      }
      out.data[row + x] = sum / count;
    }
  }
  return out;
}

const separable = (filter: (image: Raster, radius: number) => Raster) => (image: Raster, radius: number) =>
  transpose(filter(transpose(filter(image, radius)), radius));

/** Square-window maximum (a grey-level dilation). */
export const maxFilter = separable(rowMax);
/** Square-window box blur. */
export const boxBlur = separable(rowMean);
