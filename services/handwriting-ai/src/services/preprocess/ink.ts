import { boxBlur, maxFilter, raster, resize, type Raster } from './raster.js';

/**
 * Mean brightness of the outer ring of the image (5% of each side, at least one pixel): paper
 * shows there far more often than ink.
 */
function borderMean(image: Raster): number {
  const band = Math.max(1, Math.round(Math.min(image.width, image.height) * 0.05));
  let sum = 0;
  let count = 0;
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const onBorder = x < band || y < band || x >= image.width - band || y >= image.height - band;
      if (!onBorder) continue;
      sum += image.data[y * image.width + x] ?? 0;
      count += 1;
    }
  }
  return sum / count;
}

/** The median of values in [0, 1], to within half a bin of a 1024-bin histogram (no sort, one pass). */
function median(values: Float32Array): number {
  const bins = 1024;
  const histogram = new Uint32Array(bins);
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(value * bins)));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  let seen = 0;
  for (let bin = 0; bin < bins; bin += 1) {
    seen += histogram[bin] ?? 0;
    if (seen > values.length / 2) return (bin + 0.5) / bins;
  }
  return 1;
}

/** Light paper and dark ink, whichever polarity came in: paper brighter than the median means it is. */
export function paperLight(image: Raster): Raster {
  const middle = median(image.data);
  const border = borderMean(image);
  // The border is paper even where ink covers most of the image; when border and median agree, the paper
  // is whichever half of the range they lie in.
  const tie = Math.abs(border - middle) < 0.02;
  const light = tie ? middle >= 0.5 : border > middle;
  if (light) return image;
  const inverted = raster(image.width, image.height);
  for (let i = 0; i < inverted.data.length; i += 1) inverted.data[i] = 1 - (image.data[i] ?? 0);
  return inverted;
}

/** The paper's brightness is smooth: half the working copy's resolution describes it. */
const COARSE_SIDE = 48;

/**
 * Ink strength in [0, 1] (1 = darkest ink) after dividing by an estimate of the paper's brightness:
 * a grey-level dilation wider than any stroke removes the ink, a box blur smooths the estimate, so
 * shadows and uneven lighting cancel out. Works on a coarse copy for speed; the estimate is smooth.
 */
export function flattenBackground(paper: Raster): Raster {
  const side = Math.max(paper.width, paper.height);
  const coarseScale = Math.min(1, COARSE_SIDE / side);
  const coarse = resize(paper, Math.max(1, Math.round(paper.width * coarseScale)), Math.max(1, Math.round(paper.height * coarseScale)));
  const radius = Math.max(2, Math.round(Math.max(coarse.width, coarse.height) / 6));
  const background = resize(boxBlur(maxFilter(coarse, radius), radius), paper.width, paper.height);
  const ink = raster(paper.width, paper.height);
  for (let i = 0; i < ink.data.length; i += 1) {
    const level = Math.max(background.data[i] ?? 0, 1e-3);
    ink.data[i] = Math.min(1, Math.max(0, 1 - (paper.data[i] ?? 0) / level));
  }
  return ink;
}

/** Otsu's threshold over a 256-bin histogram of values in [0, 1]. */
export function otsuThreshold(image: Raster): number {
  const histogram = new Float64Array(256);
  for (const value of image.data) {
    const bin = Math.min(255, Math.floor(value * 256));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  const total = image.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i += 1) sumAll += i * (histogram[i] ?? 0);
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 0;
  for (let i = 0; i < 256; i += 1) {
    weightBelow += histogram[i] ?? 0;
    if (weightBelow === 0 || weightBelow === total) continue;
    sumBelow += i * (histogram[i] ?? 0);
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / (total - weightBelow);
    const between = weightBelow * (total - weightBelow) * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = i;
    }
  }
  return (threshold + 1) / 256;
}
