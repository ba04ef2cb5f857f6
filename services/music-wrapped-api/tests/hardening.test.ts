import { createDataBankClient, createLogger, openScratchArea } from '@platform/core';
import { createQueue, createRedis } from '@platform/workers';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { buildApp } from '../src/app.js';
import { QUEUE } from '../src/models/wrapped.js';
import { ImportStore } from '../src/services/import-store.js';
import { TokenStore } from '../src/services/token-store.js';
import { headers, startDataBank, startService, type DataBankProcess, type Harness } from './helpers.js';

let bank: DataBankProcess;
let service: Harness;

beforeAll(async () => {
  bank = await startDataBank();
  service = await startService(bank.client, { MUSIC_MAX_ZIP_ENTRIES: '100' });
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
});

const spotifyExport = (count: number) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      ts: `2023-03-${String((i % 27) + 1).padStart(2, '0')}T20:00:00Z`,
      ms_played: 200_000,
      master_metadata_track_name: `Song ${i % 7}`,
      master_metadata_album_artist_name: 'Björk',
    })),
  );

async function upload(body: Blob | string, filename: string): Promise<Response> {
  const form = new FormData();
  form.append('file', typeof body === 'string' ? new Blob([body], { type: 'application/json' }) : body, filename);
  return fetch(`${service.url}/v1/imports`, { method: 'POST', headers: headers(), body: form });
}

/** Sends a request head and part of a body over a raw socket, half-closes, and reads the answer. */
async function rawRequest(head: string, body: string): Promise<{ status: number; ms: number }> {
  const { port } = new URL(service.url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  socket.end(head + body);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  socket.destroy();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), ms: Date.now() - started };
}

const uploadHead = (contentType: string, length: number) =>
  `POST /v1/imports HTTP/1.1\r\nhost: x\r\nx-api-key: ${headers()['x-api-key'] ?? ''}\r\nx-user-id: 42\r\ncontent-type: ${contentType}\r\ncontent-length: ${String(length)}\r\n\r\n`;

/** The API's scratch dir once in-flight uploads wound down (Node may answer a hang-up before the route starts). */
async function apiScratch(): Promise<string[]> {
  // No api/ dir yet: no upload has been staged, so there is nothing left over.
  const list = () => readdir(join(service.tmpDir, 'api')).catch(() => []);
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (let tries = 0; (await list()).length > 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  return list();
}

describe('import uploads', () => {
  it('answers a truncated, boundary-less or over-fielded multipart with 400 at once and leaves nothing in the scratch dir', async () => {
    const part = `--b\r\ncontent-disposition: form-data; name="file"; filename="s.json"\r\ncontent-type: application/json\r\n\r\n${spotifyExport(50)}`;
    const truncated = await rawRequest(uploadHead('multipart/form-data; boundary=b', part.length + 1000), part);
    expect(truncated.status).toBe(400);
    expect(truncated.ms).toBeLessThan(3000);

    const boundaryless = await fetch(`${service.url}/v1/imports`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'multipart/form-data' },
      body: part,
    });
    expect(boundaryless.status).toBe(400);

    const form = new FormData();
    form.append('extra', 'x');
    form.append('file', new Blob([spotifyExport(20)]), 's.json');
    const overFielded = await fetch(`${service.url}/v1/imports`, { method: 'POST', headers: headers(), body: form });
    expect(overFielded.status).toBe(400);

    const good = await upload(spotifyExport(20), 'Streaming_History_Audio_2023.json');
    expect(good.status).toBe(201);
    expect(await apiScratch()).toEqual([]);
  });

  it('refuses a zip with more entries than MUSIC_MAX_ZIP_ENTRIES at once, before reading its directory', async () => {
    const zip = new yazl.ZipFile();
    for (let i = 0; i < 150; i++) zip.addBuffer(Buffer.alloc(0), `empty/${String(i)}`);
    zip.addBuffer(Buffer.from(spotifyExport(20)), 'Streaming_History_Audio_2023.json');
    zip.end();
    const path = join(service.tmpDir, 'many.zip');
    const out = createWriteStream(path);
    zip.outputStream.pipe(out);
    await once(out, 'close');
    const started = Date.now();
    const refused = await upload(new Blob([await readFile(path)], { type: 'application/zip' }), 'my_spotify_data.zip');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: 'INVALID_EXPORT',
      message: expect.stringContaining('151 entries; at most 100') as string,
    });
    expect(await apiScratch()).toEqual([]);
  });
});

describe('wrapped requests', () => {
  it('refuses the same source listed twice, or two imports of the same file, instead of counting plays twice', async () => {
    const first = (await (await upload(spotifyExport(30), 'Streaming_History_Audio_2023.json')).json()) as { import_id: string };
    const second = (await (await upload(spotifyExport(30), 'Streaming_History_Audio_2023.json')).json()) as { import_id: string };
    const start = (sources: unknown[]) =>
      fetch(`${service.url}/v1/wrapped`, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ year: 2023, sources }),
      });
    const spec = (importId: string) => ({ service: 'spotify', import_id: importId });
    const listedTwice = await start([spec(first.import_id), spec(first.import_id), spec(first.import_id)]);
    expect(listedTwice.status).toBe(400);
    expect(await listedTwice.json()).toMatchObject({ details: [{ path: 'body.sources.1' }, { path: 'body.sources.2' }] });
    const liveTwice = await start([
      { service: 'lastfm', live: true },
      { service: 'lastfm', live: true },
    ]);
    expect(liveTwice.status).toBe(400);
    const sameFile = await start([spec(first.import_id), spec(second.import_id)]);
    expect(sameFile.status).toBe(400);
    expect(await sameFile.json()).toMatchObject({ message: `imports ${first.import_id} and ${second.import_id} are the same file` });
  });

  it('returns the first job again for a retried request with the same Idempotency-Key', async () => {
    const { import_id } = (await (await upload(spotifyExport(30), 'Streaming_History_Audio_2023.json')).json()) as { import_id: string };
    const send = (key: string) =>
      fetch(`${service.url}/v1/wrapped`, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ year: 2023, sources: [{ service: 'spotify', import_id }] }),
      });
    const first = (await (await send('retry-1')).json()) as { job_id: string };
    const again = (await (await send('retry-1')).json()) as { job_id: string };
    const other = (await (await send('retry-2')).json()) as { job_id: string };
    expect(again.job_id).toBe(first.job_id);
    expect(other.job_id).not.toBe(first.job_id);
    expect((await send(' ')).status).toBe(400);
  });
});

describe('unreachable dependencies', () => {
  it('answers 503 for every Redis-backed route while Redis is down, and 503 when data-bank is', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'command');
    const queue = createQueue({ connection: deadRedis, queue: QUEUE, prefix: 'music-dead' });
    const tokens = new TokenStore(deadRedis, service.config.tokenKey);
    const config = {
      ...service.config,
      maxUploadBytes: 1024 * 1024,
      lastfm: { ...service.config.lastfm, apiKey: 'k', apiSecret: 's', callbackUrl: 'http://127.0.0.1:9/cb' },
    };
    const app = await buildApp({
      logger: createLogger({ service: 'music-dead', level: 'silent' }),
      redis: deadRedis,
      queue,
      imports: new ImportStore(deadRedis),
      tokens,
      dataBank: createDataBankClient({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 0 } }),
      scratch: await openScratchArea(join(service.tmpDir, 'api'), createLogger({ service: 'x', level: 'silent' })),
      config,
    });
    try {
      const json = { ...headers(), 'content-type': 'application/json' };
      const answers = await Promise.all([
        app.inject({
          method: 'POST',
          url: '/v1/wrapped',
          headers: json,
          payload: { year: 2023, sources: [{ service: 'lastfm', live: true }] },
        }),
        app.inject({ method: 'GET', url: '/v1/wrapped/abc', headers: headers() }),
        app.inject({ method: 'POST', url: '/v1/auth/lastfm/start', headers: headers() }),
        app.inject({ method: 'GET', url: '/v1/auth/lastfm/callback?state=s&token=t' }),
        app.inject({ method: 'DELETE', url: '/v1/auth/lastfm', headers: headers() }),
      ]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([503, 503, 503, 503, 503]);
      const form = new FormData();
      form.append('file', new Blob([spotifyExport(20)]), 'Streaming_History_Audio_2023.json');
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const stored = await fetch(`http://127.0.0.1:${String(port)}/v1/imports`, { method: 'POST', headers: headers(), body: form });
      expect(stored.status).toBe(503);
      const text = await stored.text();
      expect(text).not.toContain('127.0.0.1');
    } finally {
      await app.close();
      await queue.close();
      deadRedis.disconnect();
    }
  }, 30_000);
});

describe('scratch dirs', () => {
  it('sweeps what a killed process left at start', async () => {
    const left = join(service.tmpDir, 'worker', 'job-left');
    await mkdir(left, { recursive: true });
    await writeFile(join(left, '.owner.json'), JSON.stringify({ pid: 2 ** 22 + 1, start_ticks: 1, boot_id: 'an earlier boot' }));
    await writeFile(join(left, 'imp_x'), 'half a download');
    await openScratchArea(join(service.tmpDir, 'worker'), createLogger({ service: 'x', level: 'silent' }));
    expect(await readdir(join(service.tmpDir, 'worker'))).toEqual([]);
  });
});
