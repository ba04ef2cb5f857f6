import { createLogger, type PlatformApp } from '@platform/core';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadQrConfig } from '../src/config.js';

const run = promisify(execFile);

export async function makeApp(env: Record<string, string> = {}): Promise<PlatformApp> {
  const config = loadQrConfig({ RATE_LIMIT_MAX: '0', ...env });
  return buildApp({ config, logger: createLogger({ service: 'qr-api-test', level: 'silent' }) });
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
