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

/**
 * Interleaved 8-bit pixels (1-4 channels) to luma in [0, 1]; alpha is composited over white paper. With
 * `bin` > 1, each output pixel is the mean of a `bin` x `bin` block (the last row and column of blocks may be
 * partial), in the same pass: a large upload shrinks before anything else touches it.
 */
export function toGray(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  bin = 1,
  hasAlpha = channels === 2 || channels === 4,
): Raster {
  const out = raster(Math.ceil(width / bin), Math.ceil(height / bin));
  // Grey pixels read the same byte three times with weights summing to one.
  const [green, blue] = channels >= 3 ? [1, 2] : [0, 0];
  const [wr, wg, wb] = channels >= 3 ? [0.299 / 255, 0.587 / 255, 0.114 / 255] : [1 / 255, 0, 0];
  const column = Int32Array.from({ length: width }, (_, x) => Math.floor(x / bin));
  for (let y = 0; y < height; y += 1) {
    const target = Math.floor(y / bin) * out.width;
    for (let x = 0, p = y * width * channels; x < width; x += 1, p += channels) {
      let value = wr * (pixels[p] ?? 0) + wg * (pixels[p + green] ?? 0) + wb * (pixels[p + blue] ?? 0);
      if (hasAlpha) {
        const alpha = (pixels[p + channels - 1] ?? 0) / 255;
        value = value * alpha + 1 - alpha;
      }
      const at = target + (column[x] ?? 0);
      out.data[at] = (out.data[at] ?? 0) + value;
    }
  }
  if (bin === 1) return out;
  for (let by = 0; by < out.height; by += 1) {
    const rows = Math.min(bin, height - by * bin);
    for (let bx = 0; bx < out.width; bx += 1) {
      const i = by * out.width + bx;
      out.data[i] = (out.data[i] ?? 0) / (rows * Math.min(bin, width - bx * bin));
    }
  }
  return out;
}

/**
 * Resamples to `width` x `height`: area averaging when shrinking (each output pixel is the mean of the
 * input it covers, fractional edges weighted), bilinear when growing. Rows first, then columns.
 */
export function resize(image: Raster, width: number, height: number): Raster {
  if (width === image.width && height === image.height) return image;
  return resampleColumns(resampleRows(image, width), height);
}

/** Which input samples each output sample mixes, and with what weights (the same for every row or column). */
interface Taps {
  first: Int32Array;
  count: Int32Array;
  /** `maxCount` weights per output sample. */
  weights: Float32Array;
  maxCount: number;
}

function taps(length: number, size: number): Taps {
  const scale = length / size;
  const maxCount = scale > 1 ? Math.ceil(scale) + 1 : 2;
  const out: Taps = { first: new Int32Array(size), count: new Int32Array(size), weights: new Float32Array(size * maxCount), maxCount };
  for (let x = 0; x < size; x += 1) {
    if (scale > 1) {
      const [from, to] = [x * scale, (x + 1) * scale];
      const first = Math.floor(from);
      out.first[x] = first;
      out.count[x] = Math.min(length, Math.ceil(to)) - first;
      for (let i = first; i < first + (out.count[x] ?? 0); i += 1)
        out.weights[x * maxCount + i - first] = (Math.min(to, i + 1) - Math.max(from, i)) / (to - from);
    } else {
      const at = Math.min(Math.max((x + 0.5) * scale - 0.5, 0), length - 1);
      const left = Math.floor(at);
      out.first[x] = left;
      out.count[x] = left + 1 < length ? 2 : 1;
      out.weights[x * maxCount] = 1 - (at - left);
      out.weights[x * maxCount + 1] = at - left;
    }
  }
  return out;
}

/** Resamples every row to `width` samples. */
function resampleRows(image: Raster, width: number): Raster {
  if (width === image.width) return image;
  const out = raster(width, image.height);
  const { first, count, weights, maxCount } = taps(image.width, width);
  for (let y = 0; y < image.height; y += 1) {
    const row = y * image.width;
    for (let x = 0; x < width; x += 1) {
      const start = row + (first[x] ?? 0);
      let sum = 0;
      for (let k = 0; k < (count[x] ?? 0); k += 1) sum += (image.data[start + k] ?? 0) * (weights[x * maxCount + k] ?? 0);
      out.data[y * width + x] = sum;
    }
  }
  return out;
}

/** Resamples every column to `height` samples, a whole row of weighted input at a time. */
function resampleColumns(image: Raster, height: number): Raster {
  if (height === image.height) return image;
  const { width } = image;
  const out = raster(width, height);
  const { first, count, weights, maxCount } = taps(image.height, height);
  for (let y = 0; y < height; y += 1) {
    const target = y * width;
    for (let k = 0; k < (count[y] ?? 0); k += 1) {
      const source = ((first[y] ?? 0) + k) * width;
      const weight = weights[y * maxCount + k] ?? 0;
      for (let x = 0; x < width; x += 1) out.data[target + x] = (out.data[target + x] ?? 0) + (image.data[source + x] ?? 0) * weight;
    }
  }
  return out;
}

/** A filter of one line (a row or a column) of half-width `radius` into `out`; windows are clipped at the ends. */
type LineFilter = (line: Float32Array, out: Float32Array, radius: number) => void;

/** lineMax's working lines, grown on demand and reused: allocating three per line cost more than the filter. */
let maxScratch = { padded: new Float32Array(0), forward: new Float32Array(0), backward: new Float32Array(0) };

/**
 * Sliding-window maximum in O(1) a sample (van Herk / Gil-Werman: running maxima forward and backward
 * within blocks of the window's width). Values are >= 0, so zero padding is the same as clipping.
 */
const lineMax: LineFilter = (line, out, radius) => {
  const span = 2 * radius + 1;
  const length = Math.ceil((line.length + 2 * radius) / span) * span;
  if (maxScratch.padded.length < length)
    maxScratch = { padded: new Float32Array(length), forward: new Float32Array(length), backward: new Float32Array(length) };
  const { padded, forward, backward } = maxScratch;
  padded.fill(0, 0, length);
  padded.set(line, radius);
  for (let block = 0; block < length; block += span) {
    forward[block] = padded[block] ?? 0;
    for (let i = block + 1; i < block + span; i += 1) forward[i] = Math.max(forward[i - 1] ?? 0, padded[i] ?? 0);
    backward[block + span - 1] = padded[block + span - 1] ?? 0;
    for (let i = block + span - 2; i >= block; i -= 1) backward[i] = Math.max(backward[i + 1] ?? 0, padded[i] ?? 0);
  }
  // The window of sample x is padded[x .. x + span - 1].
  for (let x = 0; x < line.length; x += 1) out[x] = Math.max(backward[x] ?? 0, forward[x + span - 1] ?? 0);
};

/** Box mean with a running sum. */
const lineMean: LineFilter = (line, out, radius) => {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < Math.min(radius, line.length); i += 1) {
    sum += line[i] ?? 0;
    count += 1;
  }
  for (let x = 0; x < line.length; x += 1) {
    if (x + radius < line.length) {
      sum += line[x + radius] ?? 0;
      count += 1;
    }
    if (x - radius - 1 >= 0) {
      sum -= line[x - radius - 1] ?? 0;
      count -= 1;
    }
    out[x] = sum / count;
  }
};

/** Applies `filter` to every row, then to every column of the result. */
const separable =
  (filter: LineFilter) =>
  (image: Raster, radius: number): Raster => {
    const { width, height } = image;
    const out = raster(width, height);
    const result = new Float32Array(Math.max(width, height));
    for (let y = 0; y < height; y += 1) {
      filter(image.data.subarray(y * width, (y + 1) * width), result, radius);
      out.data.set(result.subarray(0, width), y * width);
    }
    const column = new Float32Array(height);
    for (let x = 0; x < width; x += 1) {
      for (let y = 0; y < height; y += 1) column[y] = out.data[y * width + x] ?? 0;
      filter(column, result, radius);
      for (let y = 0; y < height; y += 1) out.data[y * width + x] = result[y] ?? 0;
    }
    return out;
  };

/** Square-window maximum (a grey-level dilation). */
export const maxFilter = separable(lineMax);
/** Square-window box blur. */
export const boxBlur = separable(lineMean);
