import { describe, expect, it } from 'vitest';
import { isolateDigit, normalise, MNIST_MEAN, MNIST_STD, WORKING_SIDE } from '../src/services/preprocess.js';
import * as bmp from 'bmp-ts';
import sharp from 'sharp';
import { checkImageHeader, decodeGray } from '../src/services/preprocess/decode.js';
import { toGray, type Raster } from '../src/services/preprocess/raster.js';
import { DIGIT_STROKES, drawDigit, encode, type DrawOptions } from './helpers/draw.js';

const digitOf = (options: DrawOptions = {}, strokes = DIGIT_STROKES.four): Raster => {
  const image = drawDigit(strokes, options);
  return isolateDigit(toGray(image.pixels, image.width, image.height, 1));
};

function centreOfMass(digit: Raster): [number, number] {
  let [mass, sx, sy] = [0, 0, 0];
  digit.data.forEach((value, i) => {
    mass += value;
    sx += value * (i % 28);
    sy += value * Math.floor(i / 28);
  });
  return [sx / mass, sy / mass];
}

function inkBox(digit: Raster) {
  const xs: number[] = [];
  const ys: number[] = [];
  digit.data.forEach((value, i) => {
    if (value > 0.1) {
      xs.push(i % 28);
      ys.push(Math.floor(i / 28));
    }
  });
  return { width: Math.max(...xs) - Math.min(...xs) + 1, height: Math.max(...ys) - Math.min(...ys) + 1 };
}

/** Mean absolute difference between two digits, in ink units. */
const difference = (a: Raster, b: Raster) => a.data.reduce((sum, value, i) => sum + Math.abs(value - (b.data[i] ?? 0)), 0) / 784;

describe('preprocessing', () => {
  const reference = digitOf();

  it('turns dark ink on light paper into MNIST form: light ink on black, 20 px box, centred by mass', () => {
    expect(reference.width).toBe(28);
    expect(Math.max(inkBox(reference).width, inkBox(reference).height)).toBeGreaterThanOrEqual(19);
    expect(Math.max(inkBox(reference).width, inkBox(reference).height)).toBeLessThanOrEqual(21);
    const [cx, cy] = centreOfMass(reference);
    expect(Math.abs(cx - 13.5)).toBeLessThan(1);
    expect(Math.abs(cy - 13.5)).toBeLessThan(1);
    expect(reference.data.filter((value) => value > 0.9).length).toBeGreaterThan(30);
    expect(reference.data[0]).toBe(0);
  });

  it('gives the same digit for light ink on dark paper', () => {
    expect(difference(digitOf({ ink: 240, paper: 15 }), reference)).toBeLessThan(0.02);
  });

  it('finds a small digit off-centre and drops specks around it', () => {
    expect(difference(digitOf({ box: { x: 0.6, y: 0.55, side: 0.35 }, specks: 40 }), reference)).toBeLessThan(0.08);
  });

  it('flattens uneven lighting and noise (a phone photo)', () => {
    const photo = digitOf({ size: 400, gradient: 0.6, noise: 30, paper: 210 });
    expect(difference(photo, reference)).toBeLessThan(0.08);
  });

  it('keeps thin and thick strokes legible', () => {
    const thin = digitOf({ thickness: 0.03, size: 300 });
    const thick = digitOf({ thickness: 0.16 });
    expect(thin.data.filter((value) => value > 0.5).length).toBeGreaterThan(30);
    expect(thick.data.filter((value) => value > 0.5).length).toBeGreaterThan(thin.data.filter((value) => value > 0.5).length);
  });

  it('removes the slant of a sheared stroke', () => {
    const slanted = digitOf({}, [
      [
        [0.35, 0.9],
        [0.65, 0.1],
      ],
    ]);
    // an upright 1 after deskew: narrow
    expect(inkBox(slanted).width).toBeLessThan(8);
  });

  it('keeps a rotated digit inside the box and centred', () => {
    const rotated = digitOf({ rotateDegrees: 15 });
    const [cx, cy] = centreOfMass(rotated);
    expect(Math.hypot(cx - 13.5, cy - 13.5)).toBeLessThan(1);
    expect(difference(rotated, reference)).toBeLessThan(0.15);
  });

  it('answers 400 NO_INK for a blank page, a uniform dark page and pure noise', () => {
    for (const options of [
      { paper: 240, ink: 240 },
      { paper: 10, ink: 10 },
      { paper: 200, ink: 200, noise: 12 },
    ]) {
      expect(() => digitOf(options)).toThrow(expect.objectContaining({ code: 'NO_INK', status: 400 }) as Error);
    }
  });

  it('decodes a small upload whole-block binned and lets libvips shrink a large one, to the same digit', async () => {
    const limits = { maxPixels: 10_000_000, maxSide: 5000 };
    const small = await decodeGray(await encode(drawDigit(DIGIT_STROKES.four, { size: 300 })), limits, WORKING_SIDE, 300);
    expect([small.width, small.height]).toEqual([100, 100]); // 3x3 blocks
    const photo = await encode(drawDigit(DIGIT_STROKES.four, { size: 1200, gradient: 0.4, noise: 10 }), 'jpeg');
    const large = await decodeGray(photo, limits, WORKING_SIDE, 1200);
    // libvips shrank it to 2 x 96 while decoding, then 2x2 blocks; binning alone would give 12x12 blocks, 100 px.
    expect([large.width, large.height]).toEqual([WORKING_SIDE, WORKING_SIDE]);
    expect(difference(isolateDigit(large), reference)).toBeLessThan(0.08);
    expect(difference(isolateDigit(small), reference)).toBeLessThan(0.05);
  });

  it('reads the same digit from every accepted format (BMP through bmp-ts) and refuses a cut or oversize BMP', async () => {
    const limits = { maxPixels: 10_000_000, maxSide: 5000 };
    const drawn = drawDigit(DIGIT_STROKES.four, { size: 200 });
    const raw = sharp(Buffer.from(drawn.pixels), { raw: { width: drawn.width, height: drawn.height, channels: 1 } });
    const abgr = Buffer.alloc(drawn.width * drawn.height * 4);
    drawn.pixels.forEach((value, i) => abgr.fill(value, i * 4 + 1, i * 4 + 4));
    const uploads = {
      png: await raw.clone().png().toBuffer(),
      webp: await raw.clone().webp({ lossless: true }).toBuffer(),
      gif: await raw.clone().gif().toBuffer(),
      tiff: await raw.clone().tiff().toBuffer(),
      bmp: bmp.encode({ data: abgr, width: drawn.width, height: drawn.height, bitPP: 24 }).data,
    };
    for (const [format, image] of Object.entries(uploads)) {
      const header = await checkImageHeader(image, limits);
      expect([format, header.format, header.width, header.height]).toEqual([format, format, 200, 200]);
      const digit = isolateDigit(await decodeGray(image, limits, WORKING_SIDE, 200));
      expect(difference(digit, reference), format).toBeLessThan(0.05);
    }
    const cut = uploads.bmp.subarray(0, 2000);
    await expect(decodeGray(cut, limits, WORKING_SIDE, 200)).rejects.toMatchObject({ status: 400 });
    const huge = Buffer.from(uploads.bmp);
    huge.writeInt32LE(-20_000, 22); // top-down, 20,000 rows
    await expect(checkImageHeader(huge, limits)).rejects.toMatchObject({ status: 413 });
    await expect(checkImageHeader(Buffer.from('BM'), limits)).rejects.toMatchObject({ status: 415 });
  });

  it('normalises like the training kernel', () => {
    const input = normalise(reference);
    expect(input[0]).toBeCloseTo(-MNIST_MEAN / MNIST_STD, 5);
    expect(Math.max(...input)).toBeCloseTo((1 - MNIST_MEAN) / MNIST_STD, 5);
  });
});
