import type { PlatformApp } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeViaApi, decodeWithZbar, makeApp, postQr } from './helpers.js';

// Each payload type with the exact text a scanner must read back.
const CASES: [string, unknown, string][] = [
  ['url', { type: 'url', url: 'HTTPS://Example.COM/a b?q=1#frag' }, 'https://example.com/a%20b?q=1#frag'],
  ['text', { type: 'text', text: 'Hello, world: ünïcödé ✓ 12345' }, 'Hello, world: ünïcödé ✓ 12345'],
  [
    'wifi',
    { type: 'wifi', ssid: 'My;Net,"x"', password: 'p@ss;word', security: 'WPA', hidden: true },
    'WIFI:T:WPA;S:My\\;Net\\,\\"x\\";P:p@ss\\;word;H:true;;',
  ],
  ['email', { type: 'email', to: 'a@b.co', subject: 'Hi there', body: 'one\ntwo' }, 'mailto:a@b.co?subject=Hi%20there&body=one%0D%0Atwo'],
  ['tel', { type: 'tel', number: '+1 (555) 010-9999' }, 'tel:+15550109999'],
  ['sms', { type: 'sms', number: '+44 20 7946 0000', body: 'On my way' }, 'SMSTO:+442079460000:On my way'],
  ['geo', { type: 'geo', lat: 48.8583701, lon: 2.2944813 }, 'geo:48.8583701,2.2944813'],
  [
    'vcard',
    { type: 'vcard', name: 'Ada Lovelace', org: 'Engines; Ltd', phones: ['+44 20 1234 5678'], emails: ['ada@example.org'] },
    'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Engines\\; Ltd\r\nTEL;TYPE=VOICE:+442012345678\r\nEMAIL;TYPE=INTERNET:ada@example.org\r\nEND:VCARD',
  ],
];

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => {
  await app.close();
});

describe.each(['L', 'M', 'Q', 'H'])('error correction %s', (ecc) => {
  it.each(CASES)('%s reads back exactly through the decode endpoint and zbarimg', async (_type, data, expected) => {
    const response = await postQr(app, { data, ecc, scale: 4 });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    const png = response.rawPayload;
    expect(await decodeViaApi(app, png)).toEqual([expected]);
    expect(await decodeWithZbar(png)).toBe(expected);
  });
});

it('accepts a bare url as shorthand for the url type', async () => {
  const response = await postQr(app, { url: 'example.com/x' });
  expect(await decodeViaApi(app, response.rawPayload)).toEqual(['https://example.com/x']);
});

it('honours a minimum version and still reads back', async () => {
  const response = await postQr(app, { url: 'https://example.com', version: 7, scale: 2 });
  expect(response.headers['x-qr-version']).toBe('7');
  expect(await decodeWithZbar(response.rawPayload)).toBe('https://example.com/');
});

it('fills a code to the brim at each level (the byte capacity of version 40)', async () => {
  for (const [ecc, bytes] of [
    ['L', 2953],
    ['H', 1273],
  ] as const) {
    const text = 'x'.repeat(bytes);
    const response = await postQr(app, { data: { type: 'text', text }, ecc, scale: 2 });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-qr-version']).toBe('40');
    expect(await decodeViaApi(app, response.rawPayload)).toEqual([text]);
  }
});
