import type { PlatformApp } from '@platform/core';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { decodeViaApi, makeApp, type ErrorBody } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => {
  await app.close();
});

async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) reject(error);
      else resolve(file);
    });
  });
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: yauzl.Entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error) {
          reject(error);
          return;
        }
        buffer(stream)
          .then((bytes) => {
            files.set(entry.fileName, bytes);
            archive.readEntry();
          })
          .catch(reject);
      });
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return files;
}

const batch = (items: unknown[]) => app.inject({ method: 'POST', url: '/v1/qr/batch', payload: { items } });

describe('POST /v1/qr/batch', () => {
  it('answers a zip holding one image per item, named and in its own format', async () => {
    const response = await batch([
      { url: 'example.com/1' },
      { data: { type: 'tel', number: '+1 555 0100' }, name: 'call-us', ecc: 'H' },
      { url: 'example.com/3', format: 'svg', name: 'vector' },
      { data: { type: 'text', text: 'terminal' }, format: 'text' },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="qr-codes.zip"');
    const files = await unzip(response.rawPayload);
    expect([...files.keys()]).toEqual(['qr-001.png', 'call-us.png', 'vector.svg', 'qr-004.txt']);
    expect(await decodeViaApi(app, files.get('qr-001.png') ?? Buffer.alloc(0))).toEqual(['https://example.com/1']);
    expect(await decodeViaApi(app, files.get('call-us.png') ?? Buffer.alloc(0))).toEqual(['tel:+15550100']);
    expect(files.get('vector.svg')?.toString()).toMatch(/^<svg /);
    expect(files.get('qr-004.txt')?.toString()).toContain('█');
  });

  it('takes 100 items', async () => {
    const response = await batch(Array.from({ length: 100 }, (_, i) => ({ url: `example.com/${i}`, scale: 1 })));
    expect(response.statusCode).toBe(200);
    expect((await unzip(response.rawPayload)).size).toBe(100);
  });

  it.each([
    ['101 items', Array.from({ length: 101 }, () => ({ url: 'example.com' })), 'body.items', 'at most 100 items'],
    ['no items', [], 'body.items', '>=1'],
    ['a schema error', [{ url: 'example.com' }, { url: 'example.com', scale: 99 }], 'body.items.1.scale', '<=40'],
    ['a bad url', [{ url: 'example.com' }, { url: 'example.com' }, { url: 'ftp://x' }], 'body.items.2.url', 'http or https'],
    ['a payload too large', [{ data: { type: 'text', text: 'é'.repeat(1500) }, ecc: 'H' }], 'body.items.0.data', 'at most 1273 bytes'],
    ['low contrast', [{ url: 'x.org', light: '#000' }], 'body.items.0.light', 'contrast'],
    [
      'a duplicate name',
      [
        { url: 'a.org', name: 'a' },
        { url: 'b.org', name: 'a' },
      ],
      'body.items.1.name',
      'duplicate file name a.png',
    ],
    ['a path as name', [{ url: 'a.org', name: '../etc/passwd' }], 'body.items.0.name', 'letters, digits'],
    [
      'a lone surrogate',
      [{ url: 'a.org' }, { data: { type: 'wifi', ssid: 'n\uDBFF', security: 'nopass' } }],
      'body.items.1.data.ssid',
      'lone surrogate',
    ],
  ])('400 naming the item at fault: %s', async (_case, items, path, rule) => {
    const response = await batch(items);
    expect(response.statusCode).toBe(400);
    const error = response.json<ErrorBody>();
    expect(error.details).toContainEqual(expect.objectContaining({ path }));
    expect(error.message).toContain(rule);
  });
});
