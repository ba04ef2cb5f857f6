import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { createGuardedFetcher, systemLookup, type HostLookup, type PlatformApp } from '@platform/core';
import { closeRedis, createQueue, createRedis, EventPublisher, startWorker, type WorkerHandle } from '@platform/workers';
import { freePort, isolatedRedisPrefix, waitFor, type FakeHttpServer } from '@platform/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_QUEUE, corpusJob } from '../src/jobs/corpus.js';
import { corpusHandler } from '../src/workers/corpus.js';
import { ENGLISH, KAZAKH, parquetShard, serveBytes, startServer, wikipediaDump } from './fixtures.js';
import { catalog, detector, logger, testApp } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const API_KEY = 'turkic-test-key';
/** The local source server by an allow-listed name (tests play DNS); any other loopback target is refused. */
const SOURCES_HOST = 'sources.test';
const ALLOW_LIST = [SOURCES_HOST];
const lookup: HostLookup = (hostname) => (hostname === SOURCES_HOST ? Promise.resolve([{ address: '127.0.0.1' }]) : systemLookup(hostname));
const LIMITS = { maxInflatedBytes: 8 * 1024 * 1024, maxLineChars: 1_000_000, maxDocumentChars: 4_000_000 };
const keys = isolatedRedisPrefix('turkic');
const { prefix } = keys;
const namespace = `${prefix}:`;

let root: string;
let dataBank: DataBankProcess;
let sources: FakeHttpServer;
/** The source server's URL through the allow-listed hostname. */
let allowed: string;
let redis: Redis;
let queue: Queue;
let worker: WorkerHandle;
let app: PlatformApp;

interface Status {
  job_id: string;
  status: string;
  progress: number;
  result: { file_id: string; seen: number; kept: number; rejected: Record<string, number>; report: Record<string, unknown> } | null;
  result_id: string | null;
  result_bytes: number | null;
  error: { kind: string; message: string } | null;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'turkic-corpus-test-'));
  const shard = parquetShard();
  sources = await startServer({
    '/dumps/kkwiki/latest/kkwiki-latest-pages-articles.xml.bz2': serveBytes(wikipediaDump(), 'application/x-bzip2'),
    '/hub/api/datasets/test/oscar/parquet/kk/train': (_request, response, base) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([`${base}/shards/kk-0000.parquet`]));
    },
    '/shards/kk-0000.parquet': serveBytes(shard, 'application/octet-stream'),
    '/corpus.jsonl': serveBytes(
      Buffer.from([...KAZAKH, ENGLISH].map((text) => JSON.stringify({ content: text })).join('\n')),
      'application/jsonl',
    ),
    '/broken.txt': (_request, response) => response.writeHead(503).end('down'),
    '/to-loopback.jsonl': (_request, response, base) => response.writeHead(302, { location: `${base}/corpus.jsonl` }).end(),
    // 50 MB of one letter and no newline: about 50 KB compressed.
    '/bomb.txt.gz': serveBytes(gzipSync(Buffer.alloc(50 * 1024 * 1024, 'a')), 'application/gzip'),
    // Short blank lines, 12 MB of them: past LIMITS.maxInflatedBytes.
    '/inflates.txt.gz': serveBytes(gzipSync(Buffer.from(`${' '.repeat(999)}\n`.repeat(12 * 1024))), 'application/gzip'),
    // Sends the headers and one line, then never ends: a job reading it runs until cancelled.
    '/endless.txt': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(`${KAZAKH[0] ?? ''}\n`);
    },
  });
  allowed = sources.url.replace('127.0.0.1', SOURCES_HOST);
  dataBank = await startDataBankProcess({ apiKey: API_KEY });
  const client = dataBank.client;

  redis = createRedis(REDIS_URL, 'command');
  queue = createQueue({ connection: redis, queue: CORPUS_QUEUE, prefix });
  const job = corpusJob({ attempts: 1 });
  const handler = corpusHandler(
    {
      catalog,
      detector,
      dataBank: client,
      logger,
      urlFetcher: createGuardedFetcher({ allowList: ALLOW_LIST, lookup, timeoutMs: 20_000 }),
      limits: LIMITS,
      wikipediaDumpsUrl: `${sources.url}/dumps`,
      hfEndpoint: `${sources.url}/hub`,
      workDir: root,
      progressIntervalMs: 0,
    },
    job,
  );
  worker = startWorker({
    connection: createRedis(REDIS_URL, 'blocking'),
    queue: CORPUS_QUEUE,
    prefix,
    handlers: [handler],
    publisher: new EventPublisher(redis, { namespace }),
    logger,
  });
  app = await testApp({ corpus: { queue, job, catalog, dataBank: client, fetchAllowList: ALLOW_LIST } });
});

afterAll(async () => {
  await app.close();
  await worker.close(1000);
  await queue.obliterate({ force: true });
  await queue.close();
  await keys.cleanup(redis);
  await closeRedis(redis);
  await dataBank.stop();
  await sources.close();
  await rm(root, { recursive: true, force: true });
});

async function start(body: Record<string, unknown>): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/corpus-jobs', payload: { user_id: '123456789012345678', ...body } });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ job_id: string }>().job_id;
}

async function status(jobId: string): Promise<Status> {
  return (await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}` })).json<Status>();
}

async function finished(jobId: string): Promise<Status> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const current = await status(jobId);
    if (current.status === 'completed' || current.status === 'failed') return current;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${current.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function events(jobId: string): Promise<Record<string, unknown>[]> {
  const entries = await redis.xrange(`${namespace}events:turkic`, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as Record<string, unknown>).filter((event) => event.job_id === jobId);
}

/** The job's last event once it is of the given type: the failed/completed event follows the state change. */
async function lastEvent(jobId: string, type: string): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const last = (await events(jobId)).at(-1);
    if (last?.type === type || Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function resultText(jobId: string): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  return response.body.trimEnd().split('\n');
}

describe('corpus jobs end to end', () => {
  it('builds an IPA corpus from a bz2 Wikipedia dump, without markup, other languages, talk pages or duplicates', async () => {
    const jobId = await start({
      source: 'wikipedia',
      language: 'kk',
      script: 'Cyrl',
      max_sentences: 100,
      min_confidence: 0.5,
      transform: 'ipa',
    });
    const done = await finished(jobId);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'completed', progress: 100 });
    expect(done.result).toMatchObject({ kept: 5, rejected: { duplicate: 1, script: 1 } });
    expect(done.result?.report).toMatchObject({ source: 'wikipedia', transform: 'ipa', complete: false });
    const lines = await resultText(jobId);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('qɑzɑqstɑn — ortɑləq ɑzɪjɑdɑʁə memleket, ɑstɑnɑsə ɑstɑnɑ qɑlɑsə.');
    expect(lines.join(' ')).not.toMatch(/[[\]{}'<>]|талқылау|ref/i);

    await lastEvent(jobId, 'turkic.job.completed.v1');
    const types = (await events(jobId)).map((event) => event.type);
    expect(types[0]).toBe('turkic.job.started.v1');
    expect(types).toContain('turkic.job.progress.v1');
    expect(types.at(-1)).toBe('turkic.job.completed.v1');
    const completed = (await events(jobId)).at(-1);
    expect(completed).toMatchObject({ result_id: done.result_id, result_bytes: done.result_bytes, user_id: '123456789012345678' });
    const progress = (await events(jobId)).find((event) => event.type === 'turkic.job.progress.v1');
    expect(progress?.payload).toMatchObject({ seen: expect.any(Number) as number, kept: expect.any(Number) as number });
  });

  it('reads a Hugging Face dataset from parquet shards and stops at max_sentences', async () => {
    const jobId = await start({
      source: 'huggingface',
      dataset: 'test/oscar',
      language: 'kk',
      max_sentences: 3,
      min_confidence: 0.5,
      transform: 'latin',
    });
    const done = await finished(jobId);
    expect(done.error).toBeNull();
    expect(done.result).toMatchObject({ kept: 3, report: { complete: true } });
    expect(await resultText(jobId)).toEqual([
      'Qazaqstan — Ortalyq Aziiadağy memleket, astanasy Astana qalasy.',
      'Qazaq tılı türkı tılderınıñ qypşaq tobyna jatady.',
      'Almaty qalasy eldıñ eñ ırı qalasy bolyp tabylady.',
    ]);
    await lastEvent(jobId, 'turkic.job.completed.v1');
    const percents = (await events(jobId)).filter((event) => event.type === 'turkic.job.progress.v1').map((event) => event.progress);
    // Reported while running, then once at the end (capped at 99 until the job completes).
    expect(percents).toEqual([33, 66, 99]);
  });

  it('reads jsonl from a URL and a stored data-bank file', async () => {
    const fromUrl = await start({ source: 'url', url: `${allowed}/corpus.jsonl`, field: 'content', language: 'kk', min_confidence: 0.5 });
    const urlDone = await finished(fromUrl);
    expect(urlDone.result).toMatchObject({ kept: 5, rejected: { language: 1 } });

    const fileId = urlDone.result_id ?? '';
    const fromBank = await start({
      source: 'data_bank',
      file_id: fileId,
      language: 'kk',
      min_confidence: 0.5,
      transform: 'ipa',
      max_sentences: 2,
    });
    const bankDone = await finished(fromBank);
    expect(bankDone.result?.kept).toBe(2);
    expect((await resultText(fromBank))[1]).toBe('qɑzɑq tɪlɪ tʏrkɪ tɪlderɪnɪŋ qəpʃɑq tobənɑ ʒɑtɑdə.');
  });

  it('fails with a clear message when a source cannot be fetched, naming no URL', async () => {
    const noDataset = await finished(await start({ source: 'huggingface', dataset: 'test/missing', language: 'kk' }));
    expect(noDataset.error).toEqual({ kind: 'user', message: 'the Hugging Face Hub answered HTTP 404' });
    const unknownFile = await finished(await start({ source: 'data_bank', file_id: 'f'.repeat(64), language: 'kk' }));
    expect(unknownFile.error).toEqual({ kind: 'user', message: `data-bank has no file ${'f'.repeat(64)}` });
    const nothing = await finished(await start({ source: 'url', url: `${allowed}/corpus.jsonl`, field: 'content', language: 'tr' }));
    expect(nothing.error?.message).toContain('no sentence passed the filters');

    expect(await lastEvent(nothing.job_id, 'turkic.job.failed.v1')).toMatchObject({ type: 'turkic.job.failed.v1', error_kind: 'user' });
    const failedResult = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${nothing.job_id}/result` });
    expect(failedResult.statusCode).toBe(410);
    expect(failedResult.json()).toMatchObject({ code: 'JOB_FAILED', message: expect.stringContaining('no sentence passed') as string });
  });

  it('cancels a running job through its signal, which then fails as cancelled; the result answers 425 while it runs', async () => {
    const jobId = await start({ source: 'url', url: `${allowed}/endless.txt`, language: 'kk', min_confidence: 0.5 });
    await waitFor(async () => (await status(jobId)).status === 'processing', 10_000, 'the job to start');
    const early = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
    expect(early.statusCode).toBe(425);
    const cancelled = await app.inject({ method: 'DELETE', url: `/v1/jobs/${jobId}` });
    expect(cancelled.statusCode).toBe(202);
    expect(cancelled.json()).toEqual({ job_id: jobId, user_id: '123456789012345678', status: 'cancelling' });
    const done = await finished(jobId);
    expect(done.error).toEqual({ kind: 'user', message: 'cancelled by the user' });
    expect(await lastEvent(jobId, 'turkic.job.failed.v1')).toMatchObject({
      type: 'turkic.job.failed.v1',
      error_kind: 'user',
      message: 'cancelled by the user',
    });
    const gone = await app.inject({ method: 'GET', url: `/v1/corpus-jobs/${jobId}/result` });
    expect(gone.statusCode).toBe(410);
    // The corpus-job alias is the same route: the finished job is a 409 there too.
    const again = await app.inject({ method: 'DELETE', url: `/v1/corpus-jobs/${jobId}` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CONFLICT', message: `Job ${jobId} has already failed` });
  });

  it('rejects bad requests before queueing', async () => {
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/corpus-jobs', payload });
    const noDataset = await post({ source: 'huggingface', language: 'kk' });
    expect(noDataset.statusCode).toBe(400);
    expect(noDataset.json<{ message: string }>().message).toContain('dataset is required');
    expect((await post({ source: 'wikipedia', language: 'xx' })).json<{ message: string }>().message).toContain('supported: kk');
    expect((await post({ source: 'wikipedia', language: 'tr', transform: 'latin' })).json<{ message: string }>().message).toContain(
      'none, ipa',
    );
    expect((await post({ source: 'wikipedia', language: 'kk', max_sentences: 1_000_001 })).statusCode).toBe(400);
    expect((await post({ source: 'wikipedia', language: 'kk', min_confidence: 1.5 })).statusCode).toBe(400);
    expect((await post({ source: 'ftp', language: 'kk' })).statusCode).toBe(400);
    const unknown = await app.inject({ method: 'GET', url: '/v1/corpus-jobs/does-not-exist' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect((await app.inject({ method: 'GET', url: '/v1/corpus-jobs/does-not-exist/result' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/jobs/does-not-exist' })).statusCode).toBe(404);
  });
});

const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/corpus-jobs', payload: { language: 'kk', ...payload }, headers });

describe('url sources go only through the guarded fetcher', () => {
  const GENERIC = 'The URL could not be fetched';

  it('refuses loopback and private addresses in every spelling before queueing, with one message', async () => {
    const port = new URL(sources.url).port;
    const spellings = [
      `http://127.0.0.1:${port}/corpus.jsonl`,
      `http://2130706433:${port}/corpus.jsonl`, // decimal
      `http://0177.0.0.1:${port}/corpus.jsonl`, // octal
      `http://0x7f.0.0.1:${port}/corpus.jsonl`, // hex
      `http://127.1:${port}/corpus.jsonl`, // short
      `http://[::1]:${port}/corpus.jsonl`,
      `http://[::ffff:127.0.0.1]:${port}/corpus.jsonl`,
      'http://10.0.0.1/corpus.txt',
      'http://192.168.1.1/corpus.txt',
      'http://169.254.169.254/latest/meta-data',
      'http://user:secret@example.com/corpus.txt',
    ];
    const before = await queue.getJobCounts();
    for (const url of spellings) {
      const response = await post({ source: 'url', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ code: 'URL_NOT_FETCHABLE', message: GENERIC });
    }
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('fails every unfetchable url job with the same generic user error, telling nothing of ports or addresses', async () => {
    const closedPort = await freePort();
    const urls = [
      `${allowed}/to-loopback.jsonl`, // a redirect to 127.0.0.1, re-checked
      `http://localhost:${new URL(sources.url).port}/corpus.jsonl`, // a name resolving to loopback
      `${allowed}/missing.txt`, // 404
      `${allowed}/broken.txt`, // 503
      `http://${SOURCES_HOST}:${closedPort}/corpus.txt`, // nothing listening
    ];
    for (const url of urls) {
      const done = await finished(await start({ source: 'url', url, language: 'kk' }));
      expect(done.error, url).toEqual({ kind: 'user', message: GENERIC });
    }
  });

  it('lets an allow-listed host through (the happy path above reads jsonl from it)', async () => {
    const response = await post({ source: 'url', url: `${allowed}/corpus.jsonl`, field: 'content', min_confidence: 0.5 });
    expect(response.statusCode).toBe(202);
    expect((await finished(response.json<{ job_id: string }>().job_id)).status).toBe('completed');
  });
});

describe('source limits', () => {
  it('fails a gzip bomb without newlines fast, as a user error, instead of pinning the worker', async () => {
    const started = Date.now();
    const done = await finished(await start({ source: 'url', url: `${allowed}/bomb.txt.gz`, language: 'kk' }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(done.error).toEqual({
      kind: 'user',
      message: expect.stringContaining('longer than 1000000 characters (TURKIC_MAX_LINE_CHARS)') as string,
    });
  });

  it('fails a source that decompresses past the inflated-size bound', async () => {
    const done = await finished(await start({ source: 'url', url: `${allowed}/inflates.txt.gz`, language: 'kk' }));
    expect(done.error).toEqual({
      kind: 'user',
      message: `the source is larger than ${LIMITS.maxInflatedBytes} bytes once decompressed (TURKIC_MAX_INFLATED_BYTES)`,
    });
  });
});

describe('Idempotency-Key on POST /v1/corpus-jobs', () => {
  it('answers a retry with the same job, and a new key or another user with a new one', async () => {
    const body = { source: 'wikipedia', user_id: '42', max_sentences: 1 };
    const first = await post(body, { 'idempotency-key': 'retry-me' });
    const retry = await post(body, { 'idempotency-key': 'retry-me' });
    expect(first.statusCode).toBe(202);
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual(first.json());
    const other = await post(body, { 'idempotency-key': 'another' });
    const otherUser = await post({ ...body, user_id: '43' }, { 'idempotency-key': 'retry-me' });
    const unkeyed = await post(body);
    const ids = [first, other, otherUser, unkeyed].map((response) => response.json<{ job_id: string }>().job_id);
    expect(new Set(ids).size).toBe(4);
    const bad = await post(body, { 'idempotency-key': 'x'.repeat(201) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT' });
    await Promise.all(ids.map((id) => finished(id)));
  });
});
