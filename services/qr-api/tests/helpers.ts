import { createLogger, type PlatformApp } from '@platform/core';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { pngChunk } from '../src/services/png.js';

const run = promisify(execFile);

export async function makeApp(env: Record<string, string> = {}): Promise<PlatformApp> {
  const config = readConfig({ RATE_LIMIT_MAX: '0', ...env });
  return buildApp({ config, logger: createLogger({ service: 'qr-api-test', level: 'silent' }) });
}

/** The base URL of an app that listens (on port 0). */
export function serverUrl(app: PlatformApp): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

export async function postQr(app: PlatformApp, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/v1/qr', payload: body as object, headers });
}

/** The texts the decode endpoint finds in an image. */
export async function decodeViaApi(app: PlatformApp, image: Buffer, contentType = 'image/png'): Promise<string[]> {
  const response = await app.inject({ method: 'POST', url: '/v1/qr/decode', payload: image, headers: { 'content-type': contentType } });
  if (response.statusCode !== 200) throw new Error(`decode answered ${response.statusCode}: ${response.body}`);
  return response.json<{ results: { text: string }[] }>().results.map((result) => result.text);
}

/** Debian's zbar (zbarimg --raw), an independent decoder; each symbol's text ends with one newline. */
export async function decodeWithZbar(image: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qr-zbar-'));
  try {
    const file = join(dir, 'code.png');
    await writeFile(file, image);
    const { stdout } = await run('zbarimg', ['--nodbus', '--raw', '-q', file], { encoding: 'buffer' });
    return stdout.toString('utf8').replace(/\n$/, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
  details?: { path?: string; message: string }[];
}

/** A PNG whose header claims width x height with hardly any data: a decompression bomb's shape. */
export function bombPng(width: number, height: number): Buffer {
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
