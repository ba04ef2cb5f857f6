import type { PlatformApp } from '@platform/core';
import { DOMParser } from '@xmldom/xmldom';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMatrix } from '../src/services/matrix.js';
import { decodeViaApi, makeApp, postQr } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => {
  await app.close();
});

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)];
  return { width: info.width, height: info.height, at };
}

describe('PNG', () => {
  it('draws every module in the given colours, with the margin as quiet zone', async () => {
    const text = 'https://example.com/';
    const [scale, margin] = [3, 2];
    const response = await postQr(app, { url: text, scale, margin, dark: '#123456', light: '#ABCDEF', ecc: 'Q' });
    const matrix = makeMatrix(text, 'Q');
    const image = await pixels(response.rawPayload);
    const side = (matrix.size + 2 * margin) * scale;
    expect([image.width, image.height]).toEqual([side, side]);
    const dark = [0x12, 0x34, 0x56, 255];
    const light = [0xab, 0xcd, 0xef, 255];
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const [mx, my] = [Math.floor(x / scale) - margin, Math.floor(y / scale) - margin];
        const inside = mx >= 0 && my >= 0 && mx < matrix.size && my < matrix.size;
        const isDark = inside && matrix.data[my * matrix.size + mx] === 1;
        expect(image.at(x, y)).toEqual(isDark ? dark : light);
      }
    }
  });

  it('writes #RGB and alpha colours through a transparency chunk', async () => {
    const response = await postQr(app, { url: 'example.com', scale: 1, margin: 4, dark: '#000000CC', light: '#FFFFFF00' });
    const image = await pixels(response.rawPayload);
    expect(image.at(0, 0)).toEqual([255, 255, 255, 0]);
    expect(image.at(4, 4)).toEqual([0, 0, 0, 0xcc]); // the top-left finder pattern's corner
    expect(await decodeViaApi(app, response.rawPayload)).toEqual(['https://example.com/']);
  });

  it('is a 1-bit palette image, the defaults making 10 px modules and a 4-module quiet zone', async () => {
    const response = await postQr(app, { url: 'https://example.com/' });
    const modules = makeMatrix('https://example.com/', 'M').size;
    const metadata = await sharp(response.rawPayload).metadata();
    expect(metadata).toMatchObject({ format: 'png', bitsPerSample: 1, isPalette: true, width: (modules + 8) * 10 });
    expect(response.rawPayload.length).toBeLessThan(1000);
  });

  it('picks the largest whole scale that fits a target size, with margin 0 allowed', async () => {
    const modules = makeMatrix('https://x.io/', 'M').size; // 21: version 1
    const response = await postQr(app, { url: 'https://x.io/', size: 100, margin: 0 });
    expect((await pixels(response.rawPayload)).width).toBe(84); // 21 modules x 4 px
    const exact = await postQr(app, { url: 'https://x.io/', size: modules, margin: 0 });
    expect((await pixels(exact.rawPayload)).width).toBe(21);
  });
});

describe('SVG', () => {
  it('is valid XML whose view box counts the modules and margin, and reads back once rasterised', async () => {
    const response = await postQr(app, { data: { type: 'text', text: 'svg round trip' }, format: 'svg', margin: 3, scale: 5 });
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['content-disposition']).toBe('inline; filename="qr.svg"');
    const svg = response.body;
    const strict = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    });
    const root = strict.parseFromString(svg, 'image/svg+xml').documentElement;
    const modules = makeMatrix('svg round trip', 'M').size + 6;
    expect(root?.getAttribute('viewBox')).toBe(`0 0 ${modules} ${modules}`);
    expect(root?.getAttribute('width')).toBe(String(modules * 5));
    expect(() => strict.parseFromString(svg.replace('</svg>', ''), 'image/svg+xml')).toThrow();
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    expect(await decodeViaApi(app, png)).toEqual(['svg round trip']);
  });
});

describe('text', () => {
  it('draws two module rows per line with half blocks, the quiet zone included', async () => {
    const response = await postQr(app, { url: 'https://x.io/', format: 'text', margin: 1 });
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = response.body.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(Math.ceil(23 / 2));
    expect(lines.every((line) => line.length === 23)).toBe(true); // half blocks are single UTF-16 units
    // Row 0 is quiet zone, row 1 the finder's top edge: lower half blocks from column 1 to 7.
    expect(lines[0]?.slice(0, 9)).toBe(' ▄▄▄▄▄▄▄ ');
    const inverted = await postQr(app, { url: 'https://x.io/', format: 'text', margin: 1, invert: true });
    expect(inverted.body.split('\n')[0]?.slice(0, 9)).toBe('█▀▀▀▀▀▀▀█');
  });
});
