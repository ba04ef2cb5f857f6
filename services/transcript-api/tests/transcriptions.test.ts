import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { eventNames } from '@platform/workers';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcriptionJob } from '../src/jobs/transcribe.js';
import { pulsedTone } from './helpers/audio.js';
import { fakeStt, type FakeStt } from '../testing/index.js';
import { harness, type Harness } from './helpers/service.js';

let dir: string;
let workDir: string;
let bank: DataBankProcess;
let stt: FakeStt;
let service: Harness;
let clip: Buffer;
let baseUrl: string;

async function fakeYtDlp(audio: string): Promise<string> {
  // Stands in for yt-dlp: same arguments, copies a local file where --output asks, prints the path.
  const script = join(dir, 'yt-dlp');
  await writeFile(
    script,
    `#!/bin/sh
out=""; url=""
while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift;; https://*) url="$1";; esac; shift; done
case "$url" in *v=PRIVATExxxx) echo "ERROR: [youtube] PRIVATExxxx: Private video. Sign in if you've been granted access" >&2; exit 1;; esac
path=$(echo "$out" | sed 's/%(ext)s/mp3/'); cp "${audio}" "$path"; echo "$path"
`,
  );
  await chmod(script, 0o755);
  return script;
}

async function waitFor(jobId: string, states = ['completed', 'failed']) {
  for (let i = 0; i < 300; i++) {
    const response = await service.app.inject({ url: `/v1/transcriptions/${jobId}` });
    const body = response.json<{
      status: string;
      error: { kind: string; message: string } | null;
      result: Record<string, unknown> | null;
      result_id: string | null;
    }>();
    if (states.includes(body.status)) return body;
    await sleep(100);
  }
  throw new Error(`job ${jobId} did not finish`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-jobs-'));
  workDir = join(dir, 'work');
  bank = await startDataBankProcess();
  stt = await fakeStt();
  const clipPath = await pulsedTone(dir, 'clip.mp3', 40, 8, 2);
  clip = await readFile(clipPath);
  service = await harness({
    DATA_BANK_URL: bank.url,
    DATA_BANK_API_KEY: bank.apiKey,
    STT_BASE_URL: `${stt.url}/v1`,
    STT_API_KEY: 'sk-test',
    STT_RETRY_BASE_MS: '10',
    TRANSCRIPT_MAX_CHUNK_S: '15',
    TRANSCRIPT_MAX_UPLOAD_BYTES: String(clip.length + 1000),
    TRANSCRIPT_TMP_DIR: workDir,
    YTDLP_PATH: await fakeYtDlp(clipPath),
  });
  service.startWorker();
  // Uploads go over real HTTP: the multipart reader checks that the whole body arrived on the socket.
  baseUrl = await service.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await service.close();
  await bank.stop();
  await stt.close();
  await rm(dir, { recursive: true, force: true });
});

function multipart(file: Buffer, type: string, fields: Record<string, string> = {}) {
  const boundary = '----transcript-test';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="talk.mp3"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POSTs a multipart upload over real HTTP; answers like inject's response (status and parsed JSON). */
async function postUpload(file: Buffer, type: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const body = multipart(file, type, fields);
  const response = await fetch(`${baseUrl}/v1/transcriptions`, {
    method: 'POST',
    body: body.payload,
    headers: { ...body.headers, ...headers },
  });
  const text = await response.text();
  return {
    statusCode: response.status,
    json: () => JSON.parse(text) as { job_id: string } & Record<string, unknown>,
  };
}

describe('speech-to-text jobs', () => {
  it('transcribes an upload: 202, progress per chunk, events, results in every format, temp files removed', async () => {
    const events = service.redis.duplicate();
    const { stream } = eventNames('transcript', service.namespace);
    stt.words = (call) => [`part`, `of`, `${Math.round(call.durationS)}s`];
    const response = await postUpload(clip, 'audio/mpeg', {
      language: 'en',
      format: 'srt',
      user_id: '123456789012345678',
    });
    expect(response.statusCode).toBe(202);
    const { job_id: jobId } = response.json();
    expect(response.json()).toMatchObject({ status: 'queued', source: 'data_bank' });

    const status = await waitFor(jobId);
    expect(status).toMatchObject({ status: 'completed', error: null });
    expect(status.result_id).toMatch(/^[0-9a-f]{64}$/);
    const result = status.result as {
      files: Record<string, string>;
      segments: number;
      language: string;
      duration_s: number;
    };
    expect(result).toMatchObject({ language: 'en', provider: 'openai', format: 'srt' });
    expect(result.duration_s).toBeCloseTo(40, 0);
    for (const id of Object.values(result.files)) expect(await bank.client.head(id)).toMatchObject({ file_id: id });

    const srt = await service.app.inject({ url: `/v1/transcriptions/${jobId}/result` });
    expect(srt.headers['content-type']).toContain('application/x-subrip');
    const stored = await fetch(`${bank.url}/v1/files/${result.files.srt ?? ''}`, {
      headers: { 'x-api-key': bank.apiKey },
    });
    expect(srt.body).toBe(await stored.text());
    expect(srt.body.startsWith('1\n00:00:00,000 --> ')).toBe(true);
    const json = await service.app.inject({ url: `/v1/transcriptions/${jobId}/result?format=json` });
    const document = json.json<{ segments: { start: number }[]; text: string }>();
    expect(document.segments).toHaveLength(result.segments);
    expect(document.text.startsWith('part of')).toBe(true);
    const txt = await service.app.inject({ url: `/v1/transcriptions/${jobId}/result?format=txt` });
    expect(txt.body).toBe(`${document.text}\n`);
    const vtt = await service.app.inject({ url: `/v1/transcriptions/${jobId}/result?format=vtt` });
    expect(vtt.body.startsWith('WEBVTT\n')).toBe(true);

    const entries = await events.xrange(stream, '-', '+');
    const mine = entries
      .map(
        ([, fields]) =>
          JSON.parse(fields[fields.indexOf('event') + 1] ?? fields[1] ?? '{}') as {
            type: string;
            job_id: string;
            user_id: string;
            payload?: { chunk: number };
          },
      )
      .filter((event) => event.job_id === jobId);
    const types = mine.map((event) => event.type);
    expect(types[0]).toBe('transcript.job.started.v1');
    expect(types.at(-1)).toBe('transcript.job.completed.v1');
    expect(mine.filter((event) => event.payload?.chunk !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(mine.every((event) => event.user_id === '123456789012345678')).toBe(true);
    await events.quit();
    expect(await readdir(workDir)).toEqual([]);
  });

  it('transcribes a YouTube video through yt-dlp', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      payload: { youtube_url: 'https://youtu.be/dQw4w9WgXcQ?t=3', prompt: 'music' },
    });
    expect(response.statusCode).toBe(202);
    const status = await waitFor(response.json<{ job_id: string }>().job_id);
    expect(status.status).toBe('completed');
    expect(stt.calls.at(-1)?.prompt).toBe('music');
  });

  it('fails a private video as a user error', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      payload: { youtube_url: 'youtube.com/watch?v=PRIVATExxxx' },
    });
    const status = await waitFor(response.json<{ job_id: string }>().job_id);
    expect(status).toMatchObject({ status: 'failed', error: { kind: 'user' } });
    expect(status.error?.message).toMatch(/Private video/);
  });

  it('fails media without audio as a user error, and provider outages as a system error after retries', async () => {
    const stored = await fetch(`${bank.url}/v1/files`, {
      method: 'POST',
      headers: { 'x-api-key': bank.apiKey, 'content-type': 'audio/mpeg' },
      body: 'definitely not audio',
    });
    const { file_id: bad } = (await stored.json()) as { file_id: string };
    const rejected = await service.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      payload: { data_bank_file_id: bad },
    });
    const notAudio = await waitFor(rejected.json<{ job_id: string }>().job_id);
    expect(notAudio).toMatchObject({ status: 'failed', error: { kind: 'user' } });
    // ffprobe's complaint names the file it read: the job's scratch path must not reach the user.
    expect(notAudio.error?.message).not.toContain(workDir);

    stt.failures = Array.from({ length: 50 }, () => 503);
    try {
      const response = await postUpload(clip, 'audio/mpeg');
      const jobId = response.json().job_id;
      // The first try fails; the job is retried once after its backoff, so only its state is checked here.
      for (let i = 0; i < 100; i++) {
        const job = await service.queue.getJob(jobId);
        if ((job?.attemptsMade ?? 0) >= 1) break;
        await sleep(100);
      }
      const job = await service.queue.getJob(jobId);
      expect(job?.failedReason).toBe('[system] speech-to-text endpoint answered 503');
      // Waiting for its second try, the job reads as queued and says why, not a stale "chunk 1/3".
      const status = await service.app.inject({ url: `/v1/transcriptions/${jobId}` });
      expect(status.json()).toMatchObject({
        status: 'queued',
        progress: 0,
        message: 'retrying (attempt 2 of 2): speech-to-text endpoint answered 503',
      });
      // Best effort: the retry may hold the job's lock; the harness obliterates the queue at the end anyway.
      await job?.remove().catch(() => undefined);
    } finally {
      stt.failures = [];
    }
  });

  it('reports a missing yt-dlp as a system failure with a clear message', async () => {
    const other = await harness({
      YTDLP_PATH: '/nonexistent/yt-dlp',
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: bank.apiKey,
    });
    other.startWorker();
    try {
      const response = await other.app.inject({
        method: 'POST',
        url: '/v1/transcriptions',
        payload: { youtube_url: 'https://youtu.be/dQw4w9WgXcQ' },
      });
      const jobId = response.json<{ job_id: string }>().job_id;
      for (let i = 0; i < 100; i++) {
        const job = await other.queue.getJob(jobId);
        if (job?.failedReason) {
          expect(job.failedReason).toBe('[system] yt-dlp is not installed at YTDLP_PATH=/nonexistent/yt-dlp');
          return;
        }
        await sleep(100);
      }
      throw new Error('the job did not fail');
    } finally {
      await other.close();
    }
  });

  it('cancels a running job through its signal and a queued one before it starts (DELETE /v1/jobs/{id} and its alias)', async () => {
    stt.latencyMs = 1500;
    try {
      const first = await postUpload(clip, 'audio/mpeg');
      const second = await postUpload(clip, 'audio/mpeg', { language: 'de' });
      const running = first.json().job_id;
      const queued = second.json().job_id;
      await waitFor(running, ['processing']);
      const cancelQueued = await service.app.inject({ method: 'DELETE', url: `/v1/jobs/${queued}` });
      expect(cancelQueued.statusCode).toBe(202);
      expect(cancelQueued.json()).toEqual({ job_id: queued, user_id: '0', status: 'cancelling' });
      const cancelRunning = await service.app.inject({
        method: 'DELETE',
        url: `/v1/transcriptions/${running}`,
      });
      expect(cancelRunning.statusCode).toBe(202);
      expect(cancelRunning.json()).toEqual({ job_id: running, user_id: '0', status: 'cancelling' });
      const cancelled = { status: 'failed', error: { kind: 'user', message: 'cancelled by the user' } };
      expect(await waitFor(running)).toMatchObject(cancelled);
      // The queued job never started: the worker failed it when it took it.
      expect(await waitFor(queued)).toMatchObject({ ...cancelled, progress: 0 });
      const again = await service.app.inject({ method: 'DELETE', url: `/v1/jobs/${running}` });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'CONFLICT' });
      const result = await service.app.inject({ url: `/v1/transcriptions/${running}/result` });
      expect(result.statusCode).toBe(410);
      expect((await service.app.inject({ method: 'DELETE', url: '/v1/jobs/no-such-job' })).statusCode).toBe(404);
      expect(await readdir(workDir)).toEqual([]);
    } finally {
      stt.latencyMs = 0;
    }
  });

  it('rejects bad requests', async () => {
    const post = (payload: Record<string, unknown>) => service.app.inject({ method: 'POST', url: '/v1/transcriptions', payload });
    expect((await post({})).json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', data_bank_file_id: 'a'.repeat(64) })).statusCode).toBe(400);
    expect((await post({ youtube_url: 'https://example.com/video' })).json()).toMatchObject({
      code: 'YOUTUBE_URL_UNSUPPORTED',
    });
    expect((await post({ data_bank_file_id: 'not-a-hash' })).statusCode).toBe(400);
    expect((await post({ data_bank_file_id: 'b'.repeat(64) })).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', format: 'doc' })).statusCode).toBe(400);
    expect((await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', user_id: '-1' })).statusCode).toBe(400);

    const large = await postUpload(Buffer.concat([clip, Buffer.alloc(5000)]), 'audio/mpeg');
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const wrongType = await postUpload(Buffer.from('hi'), 'text/plain');
    expect(wrongType.statusCode).toBe(415);

    expect((await service.app.inject({ url: '/v1/transcriptions/nope' })).json()).toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
    expect((await service.app.inject({ url: '/v1/transcriptions/nope/result' })).statusCode).toBe(404);
    expect((await service.app.inject({ method: 'DELETE', url: '/v1/transcriptions/nope' })).statusCode).toBe(404);
  });

  it('answers 425 for a result that is not ready', async () => {
    const jobId = await service.queue.add(
      'transcribe',
      { user_id: '1', source: { kind: 'youtube', video_id: 'dQw4w9WgXcQ' }, format: 'json' },
      { delay: 60_000 },
    );
    const response = await service.app.inject({ url: `/v1/transcriptions/${jobId.id ?? ''}/result` });
    expect(response.statusCode).toBe(425);
    await jobId.remove();
  });

  it('is alive', async () => {
    const response = await service.app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready with Redis and a worker on the queue', async () => {
    const response = await service.app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', worker: 'ok' } });
  });
});

/**
 * Sends a raw HTTP request; with `cut`, only that many body bytes, then a half-close (or, with `stall`,
 * nothing more while the socket stays open). Resolves with the answer's status.
 */
function rawRequest(
  head: string,
  body: Buffer,
  { cut = body.length, stall = false, url = baseUrl } = {},
): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head);
      socket.write(body.subarray(0, cut));
      if (cut < body.length && !stall) socket.end();
    });
    let answer = '';
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        resolve({ status: Number(status[1]), ms: Date.now() - started });
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => {
      reject(new Error('no answer within 10 s'));
      socket.destroy();
    });
  });
}

const uploadHead = (contentType: string, length: number) =>
  `POST /v1/transcriptions HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;

describe('uploads that are cut off or malformed', () => {
  it('answers 400 at once and leaves nothing in the temp dir', async () => {
    const body = multipart(clip, 'audio/mpeg', { language: 'en' });
    const type = body.headers['content-type'];
    const cutOff = await rawRequest(uploadHead(type, body.payload.length), body.payload, {
      cut: body.payload.length / 2,
    });
    expect(cutOff.status).toBe(400);
    expect(cutOff.ms).toBeLessThan(3000);

    const noBoundary = await rawRequest(uploadHead('multipart/form-data', body.payload.length), body.payload);
    expect(noBoundary.status).toBe(400);

    const manyFields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, 'x']));
    expect((await postUpload(clip, 'audio/mpeg', manyFields)).statusCode).toBe(400);
    expect((await postUpload(clip, 'audio/mpeg', { format: 'json', unknown: 'x' })).statusCode).toBe(400);

    await sleep(200);
    expect(await readdir(workDir)).toEqual([]);
  });
});

describe('slow uploads', () => {
  it('answer 408 once the upload deadline passes, leave nothing behind, and fit the request timeout', async () => {
    const slow = await harness({
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: bank.apiKey,
      TRANSCRIPT_UPLOAD_TIMEOUT_S: '1',
      TRANSCRIPT_TMP_DIR: join(dir, 'slow'),
    });
    try {
      const url = await slow.app.listen({ port: 0, host: '127.0.0.1' });
      // Node's own request timeout comes after the upload's deadline, which answers in the envelope.
      expect(slow.app.server.requestTimeout).toBe(6000);
      expect(service.app.server.requestTimeout).toBe(service.config.uploads.timeoutMs + 5000);
      const body = multipart(clip, 'audio/mpeg');
      const type = body.headers['content-type'];
      const stalled = await rawRequest(uploadHead(type, body.payload.length), body.payload, {
        cut: 1000,
        stall: true,
        url,
      });
      expect(stalled.status).toBe(408);
      expect(stalled.ms).toBeLessThan(4000);
      await sleep(200);
      expect(await readdir(join(dir, 'slow'))).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

describe('idempotent POST', () => {
  it('answers the same job for the same Idempotency-Key, and 400 for a bad key', async () => {
    const post = (key: string) =>
      service.app.inject({
        method: 'POST',
        url: '/v1/transcriptions',
        headers: { 'idempotency-key': key },
        payload: { youtube_url: 'https://youtu.be/dQw4w9WgXcQ' },
      });
    const first = await post('retry-me-1');
    const again = await post('retry-me-1');
    expect(first.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect((await post('another-key')).json<{ job_id: string }>().job_id).not.toBe(first.json<{ job_id: string }>().job_id);
    expect((await post('bad key with spaces')).statusCode).toBe(400);
    await waitFor(first.json<{ job_id: string }>().job_id);
  });
});

describe('data-bank unreachable', () => {
  let offline: Harness;

  beforeAll(async () => {
    offline = await harness({
      DATA_BANK_URL: 'http://127.0.0.1:1',
      DATA_BANK_API_KEY: 'bank-key',
      TRANSCRIPT_TMP_DIR: join(dir, 'offline'),
    });
    await offline.app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await offline.close();
  });

  it('answers 503 to a POST that needs it, never 500 or its URL, and leaves no upload behind', async () => {
    const byId = await offline.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      payload: { data_bank_file_id: 'c'.repeat(64) },
    });
    expect(byId.statusCode).toBe(503);
    expect(byId.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(byId.body).not.toContain('127.0.0.1');

    const body = multipart(clip, 'audio/mpeg');
    const address = offline.app.server.address() as { port: number };
    const upload = await fetch(`http://127.0.0.1:${address.port}/v1/transcriptions`, {
      method: 'POST',
      body: body.payload,
      headers: body.headers,
    });
    expect(upload.status).toBe(503);
    expect(await readdir(join(dir, 'offline'))).toEqual([]);
  });

  it('fails a job with a system error that names no URL, shown as retrying', async () => {
    offline.startWorker();
    const jobId = await transcriptionJob.enqueue(offline.queue, {
      user_id: '1',
      source: { kind: 'data_bank', file_id: 'd'.repeat(64) },
    });
    for (let i = 0; i < 100 && ((await offline.queue.getJob(jobId))?.attemptsMade ?? 0) < 1; i++) await sleep(100);
    const job = await offline.queue.getJob(jobId);
    expect(job?.failedReason).toBe('[system] data-bank is unavailable; try again later');
    const status = await offline.app.inject({ url: `/v1/transcriptions/${jobId}` });
    expect(status.json()).toMatchObject({
      status: 'queued',
      message: 'retrying (attempt 2 of 2): data-bank is unavailable; try again later',
    });
  });
});
