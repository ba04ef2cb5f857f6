import sharp from 'sharp';

/** Synthetic digits for tests: strokes as polylines in a unit square, rendered with soft edges. */
export type Stroke = Array<[number, number]>;

export const DIGIT_STROKES: Record<'one' | 'seven' | 'four', Stroke[]> = {
  one: [
    [
      [0.45, 0.2],
      [0.55, 0.1],
      [0.55, 0.9],
    ],
  ],
  seven: [
    [
      [0.25, 0.15],
      [0.75, 0.15],
      [0.45, 0.9],
    ],
  ],
  four: [
    [
      [0.6, 0.9],
      [0.6, 0.1],
      [0.2, 0.65],
      [0.8, 0.65],
    ],
  ],
};

export interface DrawOptions {
  size?: number;
  width?: number;
  height?: number;
  /** Stroke thickness as a fraction of the digit's height. */
  thickness?: number;
  /** Where the digit's unit square sits and how big it is, as fractions of the image. */
  box?: { x: number; y: number; side: number };
  rotateDegrees?: number;
  ink?: number;
  paper?: number;
  /** Paper brightness falls by this much from left to right (uneven lighting). */
  gradient?: number;
  /** Uniform noise amplitude. */
  noise?: number;
  /** Random dark specks. */
  specks?: number;
  seed?: number;
}

function distanceToSegment(px: number, py: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** xorshift32 in [0, 1): the same pictures every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Grey pixels (0 = black), one byte each. */
export function drawDigit(strokes: Stroke[], options: DrawOptions = {}): { pixels: Uint8Array; width: number; height: number } {
  const width = options.width ?? options.size ?? 200;
  const height = options.height ?? options.size ?? 200;
  const box = options.box ?? { x: 0.15, y: 0.15, side: 0.7 };
  const side = box.side * Math.min(width, height);
  const half = ((options.thickness ?? 0.08) * side) / 2;
  const angle = ((options.rotateDegrees ?? 0) * Math.PI) / 180;
  const [ink, paper] = [options.ink ?? 20, options.paper ?? 235];
  const next = random(options.seed ?? 7);
  const centreX = box.x * width + side / 2;
  const centreY = box.y * height + side / 2;
  const segments = strokes
    .flatMap((stroke) => stroke.slice(1).map((point, i) => [stroke[i] ?? point, point] as const))
    .map(([a, b]) => [toImage(a), toImage(b)] as const);
  function toImage([u, v]: [number, number]): [number, number] {
    const x = (u - 0.5) * side;
    const y = (v - 0.5) * side;
    return [centreX + x * Math.cos(angle) - y * Math.sin(angle), centreY + x * Math.sin(angle) + y * Math.cos(angle)];
  }
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const distance = Math.min(...segments.map(([a, b]) => distanceToSegment(x + 0.5, y + 0.5, a, b)));
      const coverage = Math.max(0, Math.min(1, half + 0.5 - distance));
      const light = paper * (1 - (options.gradient ?? 0) * (x / width));
      let value = light + (ink - light) * coverage;
      value += (next() - 0.5) * 2 * (options.noise ?? 0);
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  for (let i = 0; i < (options.specks ?? 0); i += 1) pixels[Math.floor(next() * width * height)] = ink;
  return { pixels, width, height };
}

export async function encode(
  image: { pixels: Uint8Array; width: number; height: number },
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> {
  const pipeline = sharp(Buffer.from(image.pixels), { raw: { width: image.width, height: image.height, channels: 1 } });
  return format === 'png' ? pipeline.png().toBuffer() : pipeline.jpeg({ quality: 85 }).toBuffer();
}
