import multipart from '@fastify/multipart';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { createApp, type PlatformApp } from '../src/http/app.js';
import { checkMultipartContentType, saveMultipartFile, withMultipartFile, withMultipartFiles } from '../src/http/upload.js';
import { createLogger } from '../src/logging.js';

let app: PlatformApp;
let port: number;
let uploads: string;

beforeAll(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'core-upload-test-'));
  app = await createApp({ service: 'upload-test', version: '0', logger: createLogger({ service: 'upload-test', level: 'silent' }) });
  await app.register(multipart);
  const limits = { maxBytes: 1000, fields: ['language'], timeoutMs: 1000 };
  app.post('/upload', async (request) => {
    const file = await saveMultipartFile(request, { ...limits, dir: uploads });
    const content = await readFile(file.path, 'utf8');
    await rm(dirname(file.path), { recursive: true });
    return { ...file, path: undefined, content };
  });
  app.post('/upload-patient', async (request) => {
    const file = await saveMultipartFile(request, { ...limits, timeoutMs: 60_000, dir: uploads });
    await rm(dirname(file.path), { recursive: true });
    return {};
  });
  app.post('/relay', async (request) => {
    await withMultipartFile(request, limits, async (part) => {
      await text(part.stream);
      throw new AppError('EXTERNAL_SERVICE_ERROR', 'storage is down');
    });
  });
  app.post('/many', async (request) => {
    const { results } = await withMultipartFiles(request, { ...limits, field: ['file', 'more'], maxFiles: 2 }, async (part) =>
      text(part.stream),
    );
    return { results };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await rm(uploads, { recursive: true, force: true });
});

const BOUNDARY = 'XyZ';
const filePart = (content: string, headers = 'content-type: text/plain') =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="../a.txt"\r\n${headers}\r\n\r\n${content}`;
const fieldPart = (name: string, value: string) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const closing = `\r\n--${BOUNDARY}--\r\n`;

interface RawAnswer {
  status: number;
  headers: string;
  body: { code?: string };
  ms: number;
}

/** Writes a request by hand on a raw socket: `contentLength` may claim more than is sent. */
function rawPost(path: string, body: string, options: { contentLength?: number; contentType?: string; end?: boolean } = {}) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const split = answer.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(answer.slice(0, split));
      if (split < 0 || !length || answer.length < split + 4 + Number(length[1])) return;
      socket.destroy();
      resolve({
        status: Number(answer.slice(9, 12)),
        headers: answer.slice(0, split).toLowerCase(),
        body: JSON.parse(answer.slice(split + 4)) as { code?: string },
        ms: performance.now() - started,
      });
    });
    socket.on('error', reject);
    const contentType = options.contentType ?? `multipart/form-data; boundary=${BOUNDARY}`;
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: test\r\ncontent-type: ${contentType}\r\ncontent-length: ${String(options.contentLength ?? Buffer.byteLength(body))}\r\n\r\n${body}`,
    );
    if (options.end) socket.end();
  });
}

/** The upload dir empties promptly (a hung-up client may be answered by Node while the route still winds down). */
async function expectNothingLeft() {
  await sleep(100); // Node may answer a hang-up before the route has even started
  const deadline = Date.now() + 1000;
  while ((await readdir(uploads)).length > 0 && Date.now() < deadline) await sleep(10);
  expect(await readdir(uploads)).toEqual([]);
}

async function expectAnswer(answer: Promise<RawAnswer>, status: number, code: string) {
  const { status: got, body, ms } = await answer;
  expect({ status: got, code: body.code }).toEqual({ status, code });
  expect(ms).toBeLessThan(800);
  await expectNothingLeft();
}

describe('saveMultipartFile', () => {
  it('saves the file with its fields, its name without directories', async () => {
    const answer = await rawPost('/upload', fieldPart('language', 'kk') + filePart('hello') + closing);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ filename: 'a.txt', mimetype: 'text/plain', size: 5, fields: { language: 'kk' }, content: 'hello' });
    expect(await readdir(uploads)).toEqual([]);
  });

  it('answers 400 at once to a body cut off mid-file (Content-Length not reached, client half-closes)', async () => {
    await expectAnswer(rawPost('/upload', filePart('half a fi'), { contentLength: 10_000, end: true }), 400, 'INVALID_INPUT');
  });

  it('winds down at once, not at the deadline, when the client hangs up mid-body', async () => {
    const head = filePart('half a fi');
    const answer = await rawPost('/upload-patient', head, { contentLength: 10_000, end: true });
    expect(answer.status).toBe(400);
    await expectNothingLeft();
  });

  it('answers 400 at once to a complete body whose multipart never closes', async () => {
    await expectAnswer(rawPost('/upload', filePart('no closing boundary')), 400, 'INVALID_INPUT');
  });

  it('answers 408 to a body that stops arriving, and closes the connection', async () => {
    const started = performance.now();
    const answer = await rawPost('/upload', filePart('slow'), { contentLength: 10_000 });
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 408, code: 'REQUEST_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(answer.headers).toContain('connection: close');
    await expectNothingLeft();
  });

  it('answers 413 as soon as the file passes maxBytes', async () => {
    const answer = rawPost('/upload', filePart('x'.repeat(5000)), { contentLength: 1_000_000 });
    await expectAnswer(answer, 413, 'PAYLOAD_TOO_LARGE');
    expect((await answer).headers).toContain('connection: close');
  });

  it('answers 400 to a multipart Content-Type without a boundary', async () => {
    await expectAnswer(rawPost('/upload', 'abcd', { contentType: 'multipart/form-data' }), 400, 'INVALID_INPUT');
  });

  it.each([
    ['an unknown field', fieldPart('other', 'x') + filePart('a') + closing],
    ['too many fields', fieldPart('language', 'a') + fieldPart('language', 'b') + filePart('a') + closing],
    ['two files', filePart('a') + `\r\n` + filePart('b') + closing],
    ['a field too long', fieldPart('language', 'x'.repeat(70_000)) + filePart('a') + closing],
    ['the file in another field', filePart('a').replace('name="file"', 'name="upload"') + closing],
    ['no file part', fieldPart('language', 'kk') + `--${BOUNDARY}--\r\n`],
    ['a long part Content-Type', filePart('a', `content-type: text/${'x'.repeat(300)}`) + closing],
    ['a non-ASCII part Content-Type', filePart('a', 'content-type: text/pl\u00e4in') + closing],
  ])('answers 400 to %s and leaves nothing behind', async (_name, body) => {
    await expectAnswer(rawPost('/upload', body), 400, 'INVALID_INPUT');
  });

  it("passes the handler's own error through", async () => {
    const answer = await rawPost('/relay', filePart('a') + closing);
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 502, code: 'EXTERNAL_SERVICE_ERROR' });
  });
});

describe('withMultipartFiles', () => {
  it('hands every file part (in any of its field names) to the handler, in body order', async () => {
    const body = filePart('one') + '\r\n' + filePart('two').replace('name="file"', 'name="more"') + closing;
    const answer = await rawPost('/many', body);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { results: ['one', 'two'] } });
  });

  it('answers 400 to more files than maxFiles', async () => {
    const answer = await rawPost('/many', [filePart('a'), filePart('b'), filePart('c')].join('\r\n') + closing);
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_INPUT' });
  });
});

describe('checkMultipartContentType', () => {
  it.each([
    ['multipart/form-data; boundary=abc', undefined],
    ['multipart/form-data; boundary="a b:c"', undefined],
    ['multipart/form-data', 400],
    ['multipart/form-data; boundary=', 400],
    [`multipart/form-data; boundary=${'b'.repeat(71)}`, 400],
    [`multipart/form-data; boundary=abc; x=${'y'.repeat(300)}`, 400],
    ['application/json', 415],
    [undefined, 415],
  ])('%s -> %s', (header, status) => {
    const check = () => {
      checkMultipartContentType(header);
    };
    if (status === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ status }) as Error);
  });
});
