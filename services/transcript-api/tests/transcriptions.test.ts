import { eventNames } from '@platform/workers';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulsedTone } from './helpers/audio.js';
import { fakeDataBank, type FakeDataBank } from './helpers/fake-data-bank.js';
import { fakeStt, type FakeStt } from './helpers/fake-stt.js';
import { harness, type Harness } from './helpers/service.js';

let dir: string;
let workDir: string;
let bank: FakeDataBank;
let stt: FakeStt;
let service: Harness;
let clip: Buffer;

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
  bank = await fakeDataBank();
  stt = await fakeStt();
  const clipPath = await pulsedTone(dir, 'clip.mp3', 40, 8, 2);
  clip = await readFile(clipPath);
  service = await harness({
    DATA_BANK_URL: bank.url,
    DATA_BANK_API_KEY: 'bank-key',
    STT_BASE_URL: `${stt.url}/v1`,
    STT_API_KEY: 'sk-test',
    STT_RETRY_BASE_MS: '10',
    TRANSCRIPT_MAX_CHUNK_S: '15',
    TRANSCRIPT_MAX_UPLOAD_BYTES: String(clip.length + 1000),
    TRANSCRIPT_TMP_DIR: workDir,
    YTDLP_PATH: await fakeYtDlp(clipPath),
  });
  service.startWorker();
});

afterAll(async () => {
  await service.close();
  await bank.close();
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

describe('speech-to-text jobs', () => {
  it('transcribes an upload: 202, progress per chunk, events, results in every format, temp files removed', async () => {
    const events = service.redis.duplicate();
    const { stream } = eventNames('transcript', service.namespace);
    stt.words = (call) => [`part`, `of`, `${Math.round(call.durationS)}s`];
    const upload = multipart(clip, 'audio/mpeg', {
      language: 'en',
      format: 'srt',
      user_id: '123456789012345678',
    });
    const response = await service.app.inject({ method: 'POST', url: '/v1/transcriptions', ...upload });
    expect(response.statusCode).toBe(202);
    const { job_id: jobId } = response.json<{ job_id: string }>();
    expect(response.json()).toMatchObject({ status: 'queued', source: 'data_bank' });

    const status = await waitFor(jobId);
    expect(status).toMatchObject({ status: 'completed', error: null });
    expect(status.result_id).toMatch(/^[0-9a-f]{64}$/);
    const result = status.result as { files: Record<string, string>; segments: number; language: string; duration_s: number };
    expect(result).toMatchObject({ language: 'en', provider: 'openai', format: 'srt' });
    expect(result.duration_s).toBeCloseTo(40, 0);
    for (const id of Object.values(result.files)) expect(bank.files.has(id)).toBe(true);

    const srt = await service.app.inject({ url: `/v1/transcriptions/${jobId}/result` });
    expect(srt.headers['content-type']).toContain('application/x-subrip');
    expect(srt.body).toBe(bank.files.get(result.files.srt ?? '')?.data.toString());
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
      headers: { 'x-api-key': 'bank-key', 'content-type': 'audio/mpeg' },
      body: 'definitely not audio',
    });
    const { file_id: bad } = (await stored.json()) as { file_id: string };
    const rejected = await service.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      payload: { data_bank_file_id: bad },
    });
    expect(await waitFor(rejected.json<{ job_id: string }>().job_id)).toMatchObject({
      status: 'failed',
      error: { kind: 'user' },
    });

    stt.failures = Array.from({ length: 50 }, () => 503);
    try {
      const upload = multipart(clip, 'audio/mpeg');
      const response = await service.app.inject({ method: 'POST', url: '/v1/transcriptions', ...upload });
      const jobId = response.json<{ job_id: string }>().job_id;
      // The first try fails; the job is retried once after its backoff, so only its state is checked here.
      for (let i = 0; i < 100; i++) {
        const job = await service.queue.getJob(jobId);
        if ((job?.attemptsMade ?? 0) >= 1) break;
        await sleep(100);
      }
      const job = await service.queue.getJob(jobId);
      expect(job?.failedReason).toMatch(/^\[system\] speech-to-text endpoint answered 503/);
      await job?.remove().catch(() => undefined);
    } finally {
      stt.failures = [];
    }
  });

  it('reports a missing yt-dlp as a system failure with a clear message', async () => {
    const other = await harness({
      YTDLP_PATH: '/nonexistent/yt-dlp',
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: 'bank-key',
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

  it('cancels a queued job and a running one', async () => {
    stt.latencyMs = 1500;
    try {
      const first = await service.app.inject({
        method: 'POST',
        url: '/v1/transcriptions',
        ...multipart(clip, 'audio/mpeg'),
      });
      const second = await service.app.inject({
        method: 'POST',
        url: '/v1/transcriptions',
        ...multipart(clip, 'audio/mpeg', { language: 'de' }),
      });
      const running = first.json<{ job_id: string }>().job_id;
      const queued = second.json<{ job_id: string }>().job_id;
      await waitFor(running, ['processing']);
      const cancelQueued = await service.app.inject({
        method: 'DELETE',
        url: `/v1/transcriptions/${queued}`,
      });
      expect(cancelQueued.json()).toEqual({ job_id: queued, status: 'cancelled' });
      expect((await service.app.inject({ url: `/v1/transcriptions/${queued}` })).statusCode).toBe(404);
      const cancelRunning = await service.app.inject({
        method: 'DELETE',
        url: `/v1/transcriptions/${running}`,
      });
      expect(cancelRunning.json()).toEqual({ job_id: running, status: 'cancelling' });
      expect(await waitFor(running)).toMatchObject({
        status: 'failed',
        error: { kind: 'user', message: 'cancelled by the user' },
      });
      const again = await service.app.inject({ method: 'DELETE', url: `/v1/transcriptions/${running}` });
      expect(again.statusCode).toBe(409);
      const result = await service.app.inject({ url: `/v1/transcriptions/${running}/result` });
      expect(result.statusCode).toBe(410);
      expect(await readdir(workDir)).toEqual([]);
    } finally {
      stt.latencyMs = 0;
    }
  });

  it('rejects bad requests', async () => {
    const post = (payload: Record<string, unknown>) =>
      service.app.inject({ method: 'POST', url: '/v1/transcriptions', payload });
    expect((await post({})).json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect(
      (await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', data_bank_file_id: 'a'.repeat(64) }))
        .statusCode,
    ).toBe(400);
    expect((await post({ youtube_url: 'https://example.com/video' })).json()).toMatchObject({
      code: 'YOUTUBE_URL_UNSUPPORTED',
    });
    expect((await post({ data_bank_file_id: 'not-a-hash' })).statusCode).toBe(400);
    expect((await post({ data_bank_file_id: 'b'.repeat(64) })).json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', format: 'doc' })).statusCode).toBe(400);
    expect((await post({ youtube_url: 'https://youtu.be/dQw4w9WgXcQ', user_id: '-1' })).statusCode).toBe(400);

    const tooLarge = multipart(Buffer.concat([clip, Buffer.alloc(5000)]), 'audio/mpeg');
    const large = await service.app.inject({ method: 'POST', url: '/v1/transcriptions', ...tooLarge });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const wrongType = await service.app.inject({
      method: 'POST',
      url: '/v1/transcriptions',
      ...multipart(Buffer.from('hi'), 'text/plain'),
    });
    expect(wrongType.statusCode).toBe(415);

    expect((await service.app.inject({ url: '/v1/transcriptions/nope' })).json()).toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
    expect((await service.app.inject({ url: '/v1/transcriptions/nope/result' })).statusCode).toBe(404);
    expect((await service.app.inject({ method: 'DELETE', url: '/v1/transcriptions/nope' })).statusCode).toBe(
      404,
    );
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

  it('is ready with a worker on the queue', async () => {
    const response = await service.app.inject({ url: '/readyz' });
    expect(response.json()).toMatchObject({ status: 'ready' });
  });
});
