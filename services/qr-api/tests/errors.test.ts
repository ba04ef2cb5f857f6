import type { PlatformApp } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, postQr, type ErrorBody } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => {
  await app.close();
});

const url = 'https://example.com/';

// [case, body, the field the 400 names, a piece of the rule it states]
const INVALID: [string, unknown, string, string][] = [
  ['no payload', { ecc: 'M' }, 'body.data', 'exactly one of data or the url shorthand'],
  ['both payloads', { url, data: { type: 'text', text: 'x' } }, 'body.data', 'exactly one'],
  ['empty url', { url: '  ' }, 'body.url', 'must not be empty'],
  ['url too long', { url: `https://example.com/${'a'.repeat(2000)}` }, 'body.url', 'at most 2000 characters'],
  ['ftp url', { url: 'ftp://example.com' }, 'body.url', 'scheme must be http or https'],
  ['javascript url', { data: { type: 'url', url: 'javascript:alert(1)' } }, 'body.data.url', 'scheme must be http or https'],
  ['credentials in url', { url: 'https://a:b@example.com' }, 'body.url', 'credentials'],
  ['unknown type', { data: { type: 'bitcoin', address: 'x' } }, 'body.data.type', 'type must be one of'],
  ['unknown field', { url, box_size: 10 }, 'body', 'box_size'],
  ['unknown data field', { data: { type: 'tel', number: '123', name: 'x' } }, 'body.data', 'name'],
  ['empty text', { data: { type: 'text', text: '' } }, 'body.data.text', 'must not be empty'],
  ['wifi without password', { data: { type: 'wifi', ssid: 'n', security: 'WPA' } }, 'body.data.password', 'required when security is WPA'],
  ['wifi short WPA key', { data: { type: 'wifi', ssid: 'n', security: 'WPA', password: 'short' } }, 'body.data.password', '8..63'],
  ['wifi bad WEP key', { data: { type: 'wifi', ssid: 'n', security: 'WEP', password: 'abcdef' } }, 'body.data.password', 'WEP key'],
  ['wifi open with password', { data: { type: 'wifi', ssid: 'n', security: 'nopass', password: 'x' } }, 'body.data.password', 'absent'],
  ['wifi long ssid', { data: { type: 'wifi', ssid: 'é'.repeat(17), security: 'nopass' } }, 'body.data.ssid', '32 bytes'],
  ['wifi security', { data: { type: 'wifi', ssid: 'n', security: 'WPA3' } }, 'body.data.security', 'WPA, WEP, nopass'],
  ['email address', { data: { type: 'email', to: 'not-an-address' } }, 'body.data.to', 'email address'],
  ['phone number', { data: { type: 'tel', number: 'call me' } }, 'body.data.number', 'phone number'],
  ['sms number', { data: { type: 'sms', number: '' } }, 'body.data.number', 'phone number'],
  ['latitude', { data: { type: 'geo', lat: 91, lon: 0 } }, 'body.data.lat', '<=90'],
  ['longitude type', { data: { type: 'geo', lat: 0, lon: '1' } }, 'body.data.lon', 'number'],
  ['vcard phone', { data: { type: 'vcard', name: 'A', phones: ['x'] } }, 'body.data.phones.0', 'phone number'],
  ['vcard url', { data: { type: 'vcard', name: 'A', url: 'ftp://x.org' } }, 'body.data.url', 'scheme must be http or https'],
  ['ecc', { url, ecc: 'X' }, 'body.ecc', 'L, M, Q, H'],
  ['scale 0', { url, scale: 0 }, 'body.scale', '>=1'],
  ['scale 41', { url, scale: 41 }, 'body.scale', '<=40'],
  ['scale fraction', { url, scale: 2.5 }, 'body.scale', 'whole number'],
  ['scale string', { url, scale: '10' }, 'body.scale', 'number'],
  ['scale and size', { url, scale: 2, size: 200 }, 'body.size', 'not both'],
  ['size too small', { url, size: 20 }, 'body.size', 'narrower than the code'],
  ['margin', { url, margin: 21 }, 'body.margin', '<=20'],
  ['colour name', { url, dark: 'red' }, 'body.dark', '#RGB, #RRGGBB or #RRGGBBAA'],
  ['colour #RGBA', { url, light: '#FFFA' }, 'body.light', '#RGB, #RRGGBB or #RRGGBBAA'],
  ['low contrast', { url, dark: '#777777', light: '#888888' }, 'body.dark', 'at least 3:1'],
  ['inverted colours', { url, dark: '#FFFFFF', light: '#000000' }, 'body.dark', 'darker than the light one'],
  ['faint dark', { url, dark: '#00000010' }, 'body.dark', 'contrast'],
  ['version', { url, version: 41 }, 'body.version', '<=40'],
  ['format', { url, format: 'gif' }, 'body.format', 'png, svg, text'],
  ['invert type', { url, invert: 'yes' }, 'body.invert', 'boolean'],
];

describe('POST /v1/qr rejects with a 400 naming the field and the rule', () => {
  it.each(INVALID)('%s', async (_case, body, path, rule) => {
    const response = await postQr(app, body);
    expect(response.statusCode).toBe(400);
    const error = response.json<ErrorBody>();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.request_id).toBe(response.headers['x-request-id']);
    expect(error.details).toContainEqual(expect.objectContaining({ path }));
    expect(error.message).toContain(rule);
  });
});

const LONE = '\uD800';

// A lone surrogate in any string field, of every payload type: [case, body, the field the 400 names].
const LONE_SURROGATES: [string, unknown, string][] = [
  ['url shorthand', { url: `example.com/${LONE}` }, 'body.url'],
  ['url', { data: { type: 'url', url: `example.com/${LONE}` } }, 'body.data.url'],
  ['text', { data: { type: 'text', text: `a${LONE}b` } }, 'body.data.text'],
  ['text as svg', { data: { type: 'text', text: '\uDFFF' }, format: 'svg' }, 'body.data.text'],
  ['wifi ssid', { data: { type: 'wifi', ssid: LONE, security: 'nopass' } }, 'body.data.ssid'],
  ['wifi password', { data: { type: 'wifi', ssid: 'n', security: 'WPA', password: `password${LONE}` } }, 'body.data.password'],
  ['email subject', { data: { type: 'email', to: 'a@example.com', subject: LONE } }, 'body.data.subject'],
  ['email body', { data: { type: 'email', to: 'a@example.com', body: LONE } }, 'body.data.body'],
  ['sms body', { data: { type: 'sms', number: '+15550100', body: LONE } }, 'body.data.body'],
  ['vcard name', { data: { type: 'vcard', name: LONE } }, 'body.data.name'],
  ['vcard org', { data: { type: 'vcard', name: 'A', org: LONE } }, 'body.data.org'],
  ['vcard address', { data: { type: 'vcard', name: 'A', address: LONE } }, 'body.data.address'],
  ['vcard url', { data: { type: 'vcard', name: 'A', url: `x.org/${LONE}` } }, 'body.data.url'],
];

describe('a lone surrogate is a 400 naming the field, in every payload type', () => {
  it.each(LONE_SURROGATES)('%s', async (_case, body, path) => {
    const response = await postQr(app, body);
    expect(response.statusCode).toBe(400);
    const error = response.json<ErrorBody>();
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toContainEqual({ path, message: expect.stringContaining('lone surrogate') as string });
  });

  it('a surrogate pair (an emoji) is fine', async () => {
    expect((await postQr(app, { data: { type: 'text', text: '💥' } })).statusCode).toBe(200);
  });
});

describe('payload capacity', () => {
  it.each([
    ['M', 2331],
    ['H', 1273],
  ])('says how many bytes fit at %s', async (ecc, max) => {
    const text = 'é'.repeat(1500); // 3000 bytes
    const response = await postQr(app, { data: { type: 'text', text }, ecc });
    expect(response.statusCode).toBe(400);
    const error = response.json<ErrorBody>();
    expect(error.message).toBe(`body.data: the payload is 3000 bytes; at most ${max} bytes fit in a QR code at error correction ${ecc}`);
    expect(error.details).toEqual([expect.objectContaining({ path: 'body.data', bytes: 3000, max_bytes: max })]);
  });

  it('names the url field for the shorthand', async () => {
    const response = await postQr(app, { url: `https://example.com/${'é'.repeat(600)}`, ecc: 'H' });
    expect(response.json<ErrorBody>().details?.[0]?.path).toBe('body.url');
  });
});

describe('bad bodies', () => {
  it('400 for malformed JSON and for an empty JSON body', async () => {
    for (const payload of ['{"url": ', '']) {
      const response = await app.inject({ method: 'POST', url: '/v1/qr', payload, headers: { 'content-type': 'application/json' } });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().code).toBe('INVALID_INPUT');
    }
  });

  it('400 for JSON that is not an object', async () => {
    const response = await postQr(app, ['https://example.com']);
    expect(response.statusCode).toBe(400);
  });

  it('415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await app.inject({ method: 'POST', url: '/v1/qr', payload: 'url=example.com', headers: { 'content-type': type } });
      expect(response.statusCode).toBe(415);
      expect(response.json<ErrorBody>().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('413 for a body over 1 MiB', async () => {
    const payload = JSON.stringify({ data: { type: 'text', text: 'x'.repeat(1024 * 1024) } });
    const response = await app.inject({ method: 'POST', url: '/v1/qr', payload, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /v1/qr rejects with a 400 naming the parameter', () => {
  it.each([
    ['', 'querystring.url'],
    ['?url=example.com&scale=abc', 'querystring.scale'],
    ['?url=example.com&dark=zz', 'querystring.dark'],
    ['?url=example.com&dark=999&light=aaa', 'querystring.dark'],
    ['?url=example.com&invert=1', 'querystring.invert'],
    ['?url=example.com&bogus=1', 'querystring'],
    ['?url=ftp%3A%2F%2Fexample.com', 'querystring.url'],
  ])('%s', async (query, path) => {
    const response = await app.inject({ url: `/v1/qr${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().details).toContainEqual(expect.objectContaining({ path }));
  });
});
