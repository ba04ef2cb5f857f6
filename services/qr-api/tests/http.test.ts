import type { PlatformApp } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeViaApi, makeApp, postQr, type ErrorBody } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp({ QR_DEFAULT_SCALE: '3', QR_DEFAULT_DARK: '#003300' });
});
afterAll(async () => {
  await app.close();
});

describe('format negotiation', () => {
  it.each([
    [undefined, 'image/png'],
    ['*/*', 'image/png'],
    ['image/*', 'image/png'],
    ['image/svg+xml', 'image/svg+xml'],
    ['text/*, image/png;q=0.5', 'text/plain; charset=utf-8'],
    ['application/json, image/svg+xml;q=0.1', 'image/svg+xml'],
  ])('Accept %s gives %s', async (accept, contentType) => {
    const response = await postQr(app, { url: 'example.com' }, accept === undefined ? {} : { accept });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.headers.vary).toBe('Accept');
  });

  it('lets format win over Accept', async () => {
    const response = await postQr(app, { url: 'example.com', format: 'svg' }, { accept: 'image/png' });
    expect(response.headers['content-type']).toBe('image/svg+xml');
  });

  it('answers 406 when Accept allows none of the formats', async () => {
    const response = await postQr(app, { url: 'example.com' }, { accept: 'application/json' });
    expect(response.statusCode).toBe(406);
    expect(response.json<ErrorBody>()).toMatchObject({ code: 'NOT_ACCEPTABLE' });
  });
});

describe('POST /v1/qr', () => {
  it('sends an ETag and an inline Content-Disposition, the same bytes for the same request', async () => {
    const first = await postQr(app, { url: 'example.com' });
    const second = await postQr(app, { url: 'https://EXAMPLE.com/' });
    expect(first.headers['content-disposition']).toBe('inline; filename="qr.png"');
    expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(first.headers['x-request-id']).toBeDefined();
  });

  it('applies the defaults from the environment', async () => {
    const response = await postQr(app, { url: 'https://x.io/', margin: 0 });
    const svg = await postQr(app, { url: 'https://x.io/', margin: 0, format: 'svg' });
    expect(svg.body).toContain('width="63"'); // 21 modules x QR_DEFAULT_SCALE 3
    expect(svg.body).toContain('stroke="#003300"');
    expect(await decodeViaApi(app, response.rawPayload)).toEqual(['https://x.io/']);
  });
});

describe('GET /v1/qr', () => {
  it('takes the options as query parameters, colours with or without #', async () => {
    const response = await app.inject({ url: '/v1/qr?url=example.com%2Fa%3Fb%3D1&ecc=h&scale=2&dark=%23111&light=eeeeee&format=svg' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('fill="#eeeeee"');
    expect(response.body).toContain('stroke="#111111"');
    const png = await app.inject({ url: '/v1/qr?url=example.com%2Fa%3Fb%3D1&ecc=H' });
    expect(await decodeViaApi(app, png.rawPayload)).toEqual(['https://example.com/a?b=1']);
  });

  it('is cacheable and answers 304 to a matching If-None-Match', async () => {
    const response = await app.inject({ url: '/v1/qr?url=example.com' });
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    const etag = String(response.headers.etag);
    const again = await app.inject({ url: '/v1/qr?url=example.com', headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const changed = await app.inject({ url: '/v1/qr?url=example.com&scale=4', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
  });

  it('answers HEAD like GET without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/v1/qr?url=example.com' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.body).toBe('');
  });
});

describe('platform contract', () => {
  it('is ready without Redis or a worker: its own codec check only', async () => {
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { codec: 'ok' } });
  });

  it('documents its routes in OpenAPI', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/qr', '/v1/qr/batch', '/v1/qr/decode']));
  });

  it('answers 405 with the envelope for a wrong method', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/v1/qr' });
    expect(response.statusCode).toBe(405);
    expect(response.json<ErrorBody>().code).toBe('METHOD_NOT_ALLOWED');
  });
});
