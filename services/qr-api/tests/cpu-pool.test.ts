import type { PlatformApp } from '@platform/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombPng, makeApp, postQr, serverUrl } from './helpers.js';

const SIDE = 4000; // 16 MP: a few hundred ms of ZXing per decode

let big: Buffer;
beforeAll(async () => {
  const scratch = await makeApp();
  const code = (await postQr(scratch, { url: 'https://example.com/big', scale: 8 })).rawPayload;
  await scratch.close();
  big = await sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: '#ffffff' } })
    .composite([{ input: code, left: SIDE / 2, top: SIDE / 2 }])
    .png({ compressionLevel: 1 })
    .toBuffer();
});

/** An app with `env` listening on port 0 for the tests of the enclosing describe. */
function listeningApp(env: Record<string, string>): { readonly base: string } {
  let app: PlatformApp | undefined;
  let base = '';
  beforeAll(async () => {
    app = await makeApp(env);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = serverUrl(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    get base() {
      return base;
    },
  };
}

const decodeBig = (base: string) => fetch(`${base}/v1/qr/decode`, { method: 'POST', body: big, headers: { 'content-type': 'image/png' } });

async function timedHealth(base: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}/healthz`);
  expect(response.status).toBe(200);
  return performance.now() - started;
}

describe('decoding runs on the CPU pool', () => {
  const server = listeningApp({ QR_CPU_THREADS: '1', QR_CPU_QUEUE: '7' });

  it('keeps /healthz answering within 200 ms while 8 large decodes run', async () => {
    const decodes = Array.from({ length: 8 }, () => decodeBig(server.base));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latencies: number[] = [];
    for (let probe = 0; probe < 5; probe++) {
      latencies.push(await timedHealth(server.base));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answers = await Promise.all(decodes);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 8 }, () => 200));
    const first = (await answers[0]?.json()) as { results: { text: string }[] };
    expect(first.results[0]?.text).toBe('https://example.com/big');
    expect(Math.max(...latencies)).toBeLessThan(200);
  });

  it('renders a batch there too, errors and all', async () => {
    const items = [{ url: 'example.com' }, { url: 'ftp://example.com' }];
    const response = await fetch(`${server.base}/v1/qr/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_INPUT',
      details: [{ path: 'body.items.1.url' }],
    });
  });
});

describe('a full pool', () => {
  const server = listeningApp({ QR_CPU_THREADS: '1', QR_CPU_QUEUE: '1' });

  it('answers 503 with Retry-After once the thread and the queue are taken, and serves again after', async () => {
    const answers = await Promise.all([decodeBig(server.base), decodeBig(server.base), decodeBig(server.base)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 503]);
    const busy = answers.find((answer) => answer.status === 503);
    expect(busy?.headers.get('retry-after')).toBe('1');
    expect(await busy?.json()).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      request_id: busy?.headers.get('x-request-id'),
    });
    expect((await decodeBig(server.base)).status).toBe(200);
  });

  it('refuses a pixel bomb before it takes a thread or a queue slot', async () => {
    const running = [decodeBig(server.base), decodeBig(server.base)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${server.base}/v1/qr/decode`, {
      method: 'POST',
      body: bombPng(100_000, 100_000),
      headers: { 'content-type': 'image/png' },
    });
    expect(response.status).toBe(413);
    expect((await Promise.all(running)).map((answer) => answer.status)).toEqual([200, 200]);
  });
});
