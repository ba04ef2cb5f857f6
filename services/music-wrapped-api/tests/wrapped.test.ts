import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers, spotifyExport, startDataBank, startService, type DataBankProcess, type Harness } from './helpers.js';

let bank: DataBankProcess;
let service: Harness;

beforeAll(async () => {
  bank = await startDataBank();
  service = await startService(bank.client);
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
});

async function upload(content: string, filename: string, user = '42'): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'application/json' }), filename);
  return fetch(`${service.url}/v1/imports`, { method: 'POST', headers: headers(user), body: form });
}

async function startJob(body: unknown, user = '42'): Promise<Response> {
  return fetch(`${service.url}/v1/wrapped`, {
    method: 'POST',
    headers: { ...headers(user), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function waitFor(jobId: string): Promise<{ status: string; error: { kind: string; message: string } | null; result: unknown }> {
  for (let i = 0; i < 300; i++) {
    const status = (await (await fetch(`${service.url}/v1/wrapped/${jobId}`, { headers: headers() })).json()) as {
      status: string;
      error: { kind: string; message: string } | null;
      result: unknown;
    };
    if (status.status === 'completed' || status.status === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('job did not finish');
}

describe('imports', () => {
  it('stores an export in data-bank and tells its format', async () => {
    const response = await upload(spotifyExport(40), 'Streaming_History_Audio_2023.json');
    expect(response.status).toBe(201);
    const body = (await response.json()) as { import_id: string; service: string; file_id: string };
    expect(body).toMatchObject({ service: 'spotify', import_id: expect.stringMatching(/^imp_[0-9a-f]{32}$/) as string });
    expect((await bank.client.info(body.file_id)).size).toBeGreaterThan(1000);
  });

  it('rejects an unknown file, a missing user and a bad key', async () => {
    const bad = await upload('hello, world', 'notes.txt');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_EXPORT', message: expect.stringContaining('unrecognised export') as string });
    const form = new FormData();
    form.append('file', new Blob(['[]']), 'x.json');
    expect(
      (await fetch(`${service.url}/v1/imports`, { method: 'POST', headers: { 'x-api-key': 'music-test-key' }, body: form })).status,
    ).toBe(401);
    expect(
      (await fetch(`${service.url}/v1/imports`, { method: 'POST', headers: { 'x-api-key': 'nope', 'x-user-id': '1' }, body: form })).status,
    ).toBe(401);
  });
});

describe('wrapped jobs', () => {
  it('builds the report, cards and page, readable by their owner only', async () => {
    const { import_id } = (await (await upload(spotifyExport(60), 'history.json')).json()) as { import_id: string };
    const started = await startJob({ year: 2023, time_zone: 'Europe/Berlin', sources: [{ service: 'spotify', import_id }] });
    expect(started.status).toBe(202);
    const { job_id } = (await started.json()) as { job_id: string };
    const status = await waitFor(job_id);
    expect(status).toMatchObject({ status: 'completed', error: null });

    const report = (await (await fetch(`${service.url}/v1/wrapped/${job_id}/result`, { headers: headers() })).json()) as {
      totals: { plays: number };
      top_artists: { name: string }[];
      time_zone: string;
    };
    expect(report.totals.plays).toBe(60);
    expect(report.time_zone).toBe('Europe/Berlin');
    expect(report.top_artists.map((artist) => artist.name).sort()).toEqual(['Björk', 'Daft Punk', 'Sigur Rós']);

    for (const [layout, width, height] of [
      ['story', 1080, 1920],
      ['landscape', 1200, 630],
    ] as const) {
      const card = await fetch(`${service.url}/v1/wrapped/${job_id}/card.png?layout=${layout}`, { headers: headers() });
      expect(card.headers.get('content-type')).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await card.arrayBuffer()));
      expect([png.width, png.height]).toEqual([width, height]);
    }
    const html = await fetch(`${service.url}/v1/wrapped/${job_id}/report.html`, { headers: headers() });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('2023 in music');

    for (const path of ['', '/result', '/card.png', '/report.html']) {
      const other = await fetch(`${service.url}/v1/wrapped/${job_id}${path}`, { headers: headers('43') });
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    }
    const events = await service.redis.xrange(`${service.namespace}events:music_wrapped`, '-', '+');
    const types = events.map(
      ([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1] ?? fields[1] ?? '{}') as { type?: string; job_id?: string },
    );
    expect(types.filter((event) => event.job_id === job_id).map((event) => event.type)).toEqual(
      expect.arrayContaining(['music_wrapped.job.started.v1', 'music_wrapped.job.completed.v1']),
    );
  });

  it("fails as the user's error with fewer than ten plays, and answers 410 for its result", async () => {
    const { import_id } = (await (await upload(spotifyExport(5), 'small.json')).json()) as { import_id: string };
    const { job_id } = (await (await startJob({ year: 2023, sources: [{ service: 'spotify', import_id }] })).json()) as { job_id: string };
    const status = await waitFor(job_id);
    expect(status).toMatchObject({
      status: 'failed',
      error: { kind: 'user', message: 'only 5 plays in 2023; a report needs at least 10' },
    });
    const result = await fetch(`${service.url}/v1/wrapped/${job_id}/result`, { headers: headers() });
    expect(result.status).toBe(410);
  });

  it("fails a year without plays as the user's error", async () => {
    const { import_id } = (await (await upload(spotifyExport(20, 2022), 'old.json')).json()) as { import_id: string };
    const { job_id } = (await (await startJob({ year: 2023, sources: [{ service: 'spotify', import_id }] })).json()) as { job_id: string };
    expect(await waitFor(job_id)).toMatchObject({ status: 'failed', error: { kind: 'user', message: 'no plays in 2023' } });
  });

  it("validates the request: other users' imports, mismatched services, unknown zones, missing accounts", async () => {
    const { import_id } = (await (await upload(spotifyExport(20), 'h.json')).json()) as { import_id: string };
    expect((await startJob({ year: 2023, sources: [{ service: 'spotify', import_id }] }, '99')).status).toBe(404);
    expect((await startJob({ year: 2023, sources: [{ service: 'apple_music', import_id }] })).status).toBe(400);
    const zone = await startJob({ year: 2023, time_zone: 'Mars/Base', sources: [{ service: 'spotify', import_id }] });
    expect(zone.status).toBe(400);
    expect(await zone.json()).toMatchObject({ code: 'INVALID_INPUT' });
    const live = await startJob({ year: 2023, sources: [{ service: 'lastfm', live: true }] });
    expect(live.status).toBe(400);
    expect(((await live.json()) as { message: string }).message).toMatch(/no connected lastfm account/);
    expect((await startJob({ year: 2023, sources: [] })).status).toBe(400);
  });

  it('answers 425 while a job is queued', async () => {
    await service.queue.pause();
    try {
      const { import_id } = (await (await upload(spotifyExport(20), 'q.json')).json()) as { import_id: string };
      const { job_id } = (await (await startJob({ year: 2023, sources: [{ service: 'spotify', import_id }] })).json()) as {
        job_id: string;
      };
      const early = await fetch(`${service.url}/v1/wrapped/${job_id}/card.png`, { headers: headers() });
      expect(early.status).toBe(425);
    } finally {
      await service.queue.resume();
    }
  });
});

describe('liveness and readiness', () => {
  it('is alive', async () => {
    const response = await fetch(`${service.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready with Redis and a live worker on the queue', async () => {
    const response = await fetch(`${service.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { redis: 'ok', worker: 'ok' } });
  });
});
