import type { PlatformApp } from '@platform/core';
import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngChunk } from '../src/services/png.js';
import { makeApp, postQr, type ErrorBody } from './helpers.js';

let app: PlatformApp;
let small: PlatformApp;
let png: Buffer;
beforeAll(async () => {
  app = await makeApp();
  small = await makeApp({ QR_MAX_DECODE_BYTES: '2000', QR_MAX_DECODE_PIXELS: '250000' });
  png = (await postQr(app, { url: 'https://example.com/decode', scale: 4 })).rawPayload;
});
afterAll(async () => {
  await Promise.all([app.close(), small.close()]);
});

const decode = (target: PlatformApp, payload: Buffer | string, contentType: string) =>
  target.inject({ method: 'POST', url: '/v1/qr/decode', payload, headers: { 'content-type': contentType } });

function multipart(field: string, file: Buffer, type = 'image/png') {
  const boundary = 'qr-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="code.png"\r\nContent-Type: ${type}\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A PNG whose header claims width x height with hardly any data: a decompression bomb's shape. */
function bombPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('POST /v1/qr/decode', () => {
  it('reads a raw PNG body with the text and the corners', async () => {
    const response = await decode(app, png, 'image/png');
    expect(response.statusCode).toBe(200);
    const [result] = response.json<{ results: { text: string; bytes_b64?: string; position: Record<string, { x: number; y: number }> }[] }>().results;
    expect(result?.text).toBe('https://example.com/decode');
    expect(result?.bytes_b64).toBeUndefined();
    expect(result?.position.top_left).toEqual({ x: 16, y: 16 }); // 4-module margin x 4 px
  });

  it('reads a multipart upload in the field "file"', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/qr/decode', ...multipart('file', png) });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ results: { text: string }[] }>().results[0]?.text).toBe('https://example.com/decode');
  });

  it.each([
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
  ] as const)('reads %s', async (format, type) => {
    const image = await sharp(png).toFormat(format).toBuffer();
    const response = await decode(app, image, type);
    expect(response.json<{ results: { text: string }[] }>().results[0]?.text).toBe('https://example.com/decode');
  });

  it('finds several codes in one image', async () => {
    const other = (await postQr(app, { data: { type: 'text', text: 'second' }, scale: 4 })).rawPayload;
    const side = (await sharp(png).metadata()).width;
    const both = await sharp({ create: { width: side * 2, height: side, channels: 3, background: '#ffffff' } })
      .composite([
        { input: png, left: 0, top: 0 },
        { input: other, left: side, top: 0 },
      ])
      .png()
      .toBuffer();
    const texts = (await decode(app, both, 'image/png')).json<{ results: { text: string }[] }>().results.map((r) => r.text);
    expect(texts.sort()).toEqual(['https://example.com/decode', 'second']);
  });

  it('422 when the image holds no code', async () => {
    const blank = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const response = await decode(app, blank, 'image/png');
    expect(response.statusCode).toBe(422);
    expect(response.json<ErrorBody>()).toMatchObject({ code: 'UNPROCESSABLE_ENTITY', message: 'No QR code was found in the image' });
  });

  it('413 for an image whose header claims too many pixels, before decoding it', async () => {
    const started = performance.now();
    const response = await decode(app, bombPng(100_000, 100_000), 'image/png');
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().message).toContain('100000x100000');
    expect(performance.now() - started).toBeLessThan(1000);
    const tooBig = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#fff' } }).png().toBuffer();
    expect((await decode(small, tooBig, 'image/png')).statusCode).toBe(413);
  });

  it('413 for an upload over QR_MAX_DECODE_BYTES, raw or multipart', async () => {
    const large = Buffer.concat([png, Buffer.alloc(3000)]);
    const raw = await decode(small, large, 'image/png');
    expect(raw.statusCode).toBe(413);
    expect(raw.json<ErrorBody>().code).toBe('PAYLOAD_TOO_LARGE');
    const form = await small.inject({ method: 'POST', url: '/v1/qr/decode', ...multipart('file', large) });
    expect(form.statusCode).toBe(413);
    expect(form.json<ErrorBody>().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('415 for other content types and for bytes that are not PNG, JPEG or WebP', async () => {
    const gif = await sharp(png).gif().toBuffer();
    for (const [body, type] of [
      [png, 'application/json'],
      ['hello', 'text/plain'],
      [gif, 'image/gif'],
      [gif, 'image/png'],
      [Buffer.from('not an image at all'), 'application/octet-stream'],
    ] as const) {
      const response = await decode(app, body, type);
      expect(response.statusCode).toBe(415);
      expect(response.json<ErrorBody>().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('400 for a truncated image, an empty body and a multipart upload in another field', async () => {
    const truncated = await decode(app, png.subarray(0, 120), 'image/png');
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json<ErrorBody>().message).toContain('corrupt or truncated');
    expect((await decode(app, Buffer.alloc(0), 'image/png')).statusCode).toBe(400);
    const wrongField = await app.inject({ method: 'POST', url: '/v1/qr/decode', ...multipart('image', png) });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json<ErrorBody>().message).toContain('field named file');
  });
});
