import type { PlatformApp } from '@platform/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombPng, makeApp, postQr, serverUrl, type ErrorBody } from './helpers.js';

let app: PlatformApp;
let small: PlatformApp;
let png: Buffer;
beforeAll(async () => {
  app = await makeApp();
  small = await makeApp({ QR_MAX_DECODE_BYTES: '2000', QR_MAX_DECODE_PIXELS: '250000' });
  await Promise.all([app.listen({ port: 0, host: '127.0.0.1' }), small.listen({ port: 0, host: '127.0.0.1' })]);
  png = (await postQr(app, { url: 'https://example.com/decode', scale: 4 })).rawPayload;
});
afterAll(async () => {
  await Promise.all([app.close(), small.close()]);
});

interface Decoded {
  text: string;
  bytes_b64?: string;
  position: Record<string, { x: number; y: number }>;
}

/** A decode answer: its results on a 200, the error envelope otherwise. */
interface Answer {
  statusCode: number;
  body: { results: Decoded[] } & ErrorBody;
}

/** Over real HTTP: the multipart reader relies on the socket to know a body arrived whole. */
async function decode(target: PlatformApp, body: Buffer | string, contentType: string): Promise<Answer> {
  const response = await fetch(`${serverUrl(target)}/v1/qr/decode`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
  return { statusCode: response.status, body: (await response.json()) as Answer['body'] };
}

const BOUNDARY = 'qr-test-boundary';

function multipartBody(field: string, file: Buffer, type = 'image/png'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="code.png"\r\nContent-Type: `),
    Buffer.from(type, 'latin1'),
    Buffer.from('\r\n\r\n'),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const multipart = (target: PlatformApp, field: string, file: Buffer, type?: string) =>
  decode(target, multipartBody(field, file, type), `multipart/form-data; boundary=${BOUNDARY}`);

describe('POST /v1/qr/decode', () => {
  it('reads a raw PNG body with the text and the corners', async () => {
    const response = await decode(app, png, 'image/png');
    expect(response.statusCode).toBe(200);
    const [result] = response.body.results;
    expect(result?.text).toBe('https://example.com/decode');
    expect(result?.bytes_b64).toBeUndefined();
    expect(result?.position.top_left).toEqual({ x: 16, y: 16 }); // 4-module margin x 4 px
  });

  it('reads a multipart upload in the field "file"', async () => {
    const response = await multipart(app, 'file', png);
    expect(response.statusCode).toBe(200);
    expect(response.body.results[0]?.text).toBe('https://example.com/decode');
  });

  it.each([
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
  ] as const)('reads %s', async (format, type) => {
    const image = await sharp(png).toFormat(format).toBuffer();
    const response = await decode(app, image, type);
    expect(response.body.results[0]?.text).toBe('https://example.com/decode');
  });

  it('finds several codes in one image', async () => {
    const other = (await postQr(app, { data: { type: 'text', text: 'second' }, scale: 4 })).rawPayload;
    const side = (await sharp(png).metadata()).width;
    const both = await sharp({
      create: { width: side * 2, height: side, channels: 3, background: '#ffffff' },
    })
      .composite([
        { input: png, left: 0, top: 0 },
        { input: other, left: side, top: 0 },
      ])
      .png()
      .toBuffer();
    const texts = (await decode(app, both, 'image/png')).body.results.map((r) => r.text);
    expect(texts.sort()).toEqual(['https://example.com/decode', 'second']);
  });

  it('422 when the image holds no code', async () => {
    const blank = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const response = await decode(app, blank, 'image/png');
    expect(response.statusCode).toBe(422);
    expect(response.body).toMatchObject({
      code: 'UNPROCESSABLE_ENTITY',
      message: 'No QR code was found in the image',
    });
  });

  it('413 for an image whose header claims too many pixels, before decoding it', async () => {
    const started = performance.now();
    const response = await decode(app, bombPng(100_000, 100_000), 'image/png');
    expect(response.statusCode).toBe(413);
    expect(response.body.message).toContain('100000x100000');
    expect(performance.now() - started).toBeLessThan(1000);
    const tooBig = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await decode(small, tooBig, 'image/png')).statusCode).toBe(413);
  });

  it('413 for an upload over QR_MAX_DECODE_BYTES, raw or multipart', async () => {
    const large = Buffer.concat([png, Buffer.alloc(3000)]);
    const raw = await decode(small, large, 'image/png');
    expect(raw.statusCode).toBe(413);
    expect(raw.body.code).toBe('PAYLOAD_TOO_LARGE');
    const form = await multipart(small, 'file', large);
    expect(form.statusCode).toBe(413);
    expect(form.body.code).toBe('PAYLOAD_TOO_LARGE');
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
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('400 for a truncated image, an empty body and a multipart upload in another field', async () => {
    const truncated = await decode(app, png.subarray(0, 120), 'image/png');
    expect(truncated.statusCode).toBe(400);
    expect(truncated.body.message).toContain('corrupt or truncated');
    expect((await decode(app, Buffer.alloc(0), 'image/png')).statusCode).toBe(400);
    const wrongField = await multipart(app, 'image', png);
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.body.message).toContain('field named file');
  });

  it('400 for a multipart body without a boundary, and for a file part whose Content-Type is long or not ASCII', async () => {
    for (const contentType of [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      `multipart/form-data; boundary=${'b'.repeat(80)}`,
    ]) {
      const response = await decode(app, multipartBody('file', png), contentType);
      expect(response.statusCode).toBe(400);
      expect(response.body.message).toContain('boundary');
    }
    for (const type of [`image/${'x'.repeat(300)}`, 'image/pngé', 'bild/ßpng']) {
      const response = await multipart(app, 'file', png, type);
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_INPUT',
        message: 'The file part has an invalid Content-Type',
      });
    }
  });
});
