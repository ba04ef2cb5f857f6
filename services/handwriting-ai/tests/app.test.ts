import { authSpellings, fuzzService } from '@platform/core/testing';
import { packArtifact, writeManifest } from '@platform/ml';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_MODELS_DIR } from '../src/config.js';
import { digitManifestFields, readDigitConfig } from '../src/services/digit-config.js';
import { makeApp, modelWorld, type ModelWorld, type TestApp } from './helpers/app.js';
import { DIGIT_STROKES, drawDigit, encode } from './helpers/draw.js';

let world: ModelWorld;
let served: TestApp;
let base: string;

beforeAll(async () => {
  world = await modelWorld();
  served = await makeApp(world, { active: 'tiny-a' });
  base = await served.app.listen({ host: '127.0.0.1', port: 0 });
}, 180_000);
afterAll(async () => {
  await served.close();
  await world.close();
});

async function read(image: Buffer, query = '', headers: Record<string, string> = {}, url = base): Promise<Response> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'digit.png');
  return fetch(`${url}/v1/read${query}`, { method: 'POST', body: form, headers });
}

const seven = await encode(drawDigit(DIGIT_STROKES.seven));

describe('POST /v1/read', () => {
  it('answers the digit, calibrated probabilities, top 3, uncertainty and the model id', async () => {
    const response = await read(seven);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      probabilities: number[];
      top3: unknown[];
      model_id: string;
      digit: number;
      uncertain: boolean;
    };
    expect(body.probabilities).toHaveLength(10);
    expect(body.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(body.top3).toHaveLength(3);
    expect(body.model_id).toBe('tiny-a');
    expect(typeof body.uncertain).toBe('boolean');
  });

  it('adds the preprocessed 28x28 input with ?visualize=1 and averages shifts with tta=1', async () => {
    const response = await read(seven, '?visualize=1&tta=1');
    const body = (await response.json()) as { visual_png_b64: string };
    const meta = await sharp(Buffer.from(body.visual_png_b64, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 28, 28]);
  });

  it('answers 400 NO_INK for a blank page, 415 for a non-image, 400 without the image part', async () => {
    const blank = await encode(drawDigit(DIGIT_STROKES.seven, { ink: 230, paper: 230 }));
    const noInk = await read(blank);
    expect(noInk.status).toBe(400);
    expect(((await noInk.json()) as { code: string }).code).toBe('NO_INK');
    expect((await read(Buffer.from('plain text, not pixels'))).status).toBe(415);
    const form = new FormData();
    form.append('other', 'x');
    expect((await fetch(`${base}/v1/read`, { method: 'POST', body: form })).status).toBe(400);
  });
});

async function readBatch(images: Array<[string, Buffer]>, url = base): Promise<Response> {
  const form = new FormData();
  images.forEach(([field, image], i) => {
    form.append(field, new Blob([new Uint8Array(image)], { type: 'image/png' }), `digit-${String(i)}.png`);
  });
  return fetch(`${url}/v1/read/batch`, { method: 'POST', body: form });
}

interface BatchBody {
  results: Array<{ index: number; filename: string; probabilities?: number[]; error?: { code: string; status: number } }>;
  model_id: string;
}

describe('POST /v1/read/batch', () => {
  it('reads every image in one model run, with per-image errors for no ink or a bad format', async () => {
    const four = await encode(drawDigit(DIGIT_STROKES.four));
    const blank = await encode(drawDigit(DIGIT_STROKES.seven, { ink: 230, paper: 230 }));
    const response = await readBatch([
      ['images', seven],
      ['images', blank],
      ['images', Buffer.from('not pixels')],
      ['image', four],
    ]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as BatchBody;
    expect(body.model_id).toBe('tiny-a');
    expect(body.results.map((entry) => [entry.index, entry.filename, entry.error?.code ?? 'read'])).toEqual([
      [0, 'digit-0.png', 'read'],
      [1, 'digit-1.png', 'NO_INK'],
      [2, 'digit-2.png', 'UNSUPPORTED_MEDIA_TYPE'],
      [3, 'digit-3.png', 'read'],
    ]);
    // batched and single readings agree
    const single = (await (await read(four)).json()) as { probabilities: number[] };
    body.results[3]?.probabilities?.forEach((p, k) => {
      expect(p).toBeCloseTo(single.probabilities[k] ?? Number.NaN, 5);
    });
  });

  it('answers 400 to more than 64 images or none', async () => {
    expect((await readBatch(Array.from({ length: 65 }, (): [string, Buffer] => ['images', seven]))).status).toBe(400);
    expect((await readBatch([['other', seven]])).status).toBe(400);
  });
});

describe('models', () => {
  it('lists models and refuses to delete the served one', async () => {
    const list = (await (await fetch(`${base}/v1/models`)).json()) as { models: Array<{ id: string; active: boolean }> };
    expect(
      list.models
        .map((model) => model.id)
        .filter((id) => !id.startsWith('uploaded-'))
        .sort(),
    ).toEqual(['broken', 'tiny-a', 'tiny-b']);
    expect((await fetch(`${base}/v1/models/tiny-a`, { method: 'DELETE' })).status).toBe(409);
    expect((await fetch(`${base}/v1/models/nope/activate`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses a corrupt model on activation and keeps serving the current one', async () => {
    expect((await fetch(`${base}/v1/models/broken/activate`, { method: 'POST' })).status).toBe(400);
    expect(((await (await fetch(`${base}/v1/models/active`)).json()) as { id: string }).id).toBe('tiny-a');
  });

  it('hot-swaps under load with no failed request', async () => {
    const statuses: number[] = [];
    const state = { swapping: true };
    const load = (async () => {
      while (state.swapping || statuses.length < 48)
        statuses.push(...(await Promise.all(Array.from({ length: 8 }, async () => (await read(seven)).status))));
    })();
    for (const id of ['tiny-b', 'tiny-a', 'tiny-b', 'tiny-a']) {
      expect((await fetch(`${base}/v1/models/${id}/activate`, { method: 'POST' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    state.swapping = false;
    await load;
    expect(statuses.length).toBeGreaterThan(8);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});

/** The shipped model packed as an artifact `id` (what a user uploads), and the same with one graph byte flipped. */
async function shippedArtifact(id: string): Promise<{ packed: Buffer; tampered: Buffer }> {
  const dir = join(world.root, id);
  await mkdir(dir);
  const shipped = join(SHIPPED_MODELS_DIR, 'digits-cpu-v1');
  await Promise.all(['model.onnx', 'config.json'].map((name) => copyFile(join(shipped, name), join(dir, name))));
  await writeManifest(dir, digitManifestFields(id, await readDigitConfig(dir)));
  await packArtifact(dir, `${dir}.tar.xz`);
  const packed = await readFile(`${dir}.tar.xz`);
  const tar = execFileSync('xz', ['-dc'], { input: packed });
  const graph = await readFile(join(dir, 'model.onnx'));
  const at = tar.indexOf(graph.subarray(4096, 4160));
  tar[at] = (tar[at] ?? 0) ^ 0xff;
  return { packed, tampered: execFileSync('xz', ['-c'], { input: tar }) };
}

describe('POST /v1/models', () => {
  const post = (body: Uint8Array | string | FormData, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/models`, { method: 'POST', body, headers });
  const ids = async () => ((await (await fetch(`${base}/v1/models`)).json()) as { models: Array<{ id: string; active: boolean }> }).models;

  it('registers an uploaded artifact (raw body or multipart) inactive, once its hashes and graph check out', async () => {
    const raw = await shippedArtifact('uploaded-raw');
    const response = await post(new Uint8Array(raw.packed), { 'content-type': 'application/x-xz' });
    expect(response.status).toBe(201);
    expect((await response.json()) as { id: string; active: boolean; architecture: string }).toMatchObject({
      id: 'uploaded-raw',
      active: false,
      architecture: 'resnet-small',
    });
    const form = new FormData();
    form.append('artifact', new Blob([new Uint8Array((await shippedArtifact('uploaded-form')).packed)]), 'model.tar.xz');
    expect((await post(form)).status).toBe(201);
    expect((await ids()).filter((model) => model.id.startsWith('uploaded-'))).toMatchObject([{ active: false }, { active: false }]);
    expect((await post(new Uint8Array(raw.packed), { 'content-type': 'application/x-xz' })).status).toBe(409);
    expect((await fetch(`${base}/v1/models/uploaded-raw/activate`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${base}/v1/models/tiny-a/activate`, { method: 'POST' })).status).toBe(200);
  });

  it('answers 400 to a tampered artifact or garbage and registers nothing', async () => {
    const { tampered } = await shippedArtifact('uploaded-tampered');
    const response = await post(new Uint8Array(tampered), { 'content-type': 'application/x-xz' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('hash-mismatch');
    expect((await post('not an artifact', { 'content-type': 'application/octet-stream' })).status).toBe(400);
    expect((await ids()).map((model) => model.id)).not.toContain('uploaded-tampered');
  });
});

describe('one registry, many processes', () => {
  it('an activation through one API process reaches another without a restart', async () => {
    const prefix = world.prefix();
    const first = await makeApp(world, { prefix, active: 'tiny-a', pollMs: 100 });
    const second = await makeApp(world, { prefix, models: [], pollMs: 100 });
    try {
      expect(second.server.active?.id).toBe('tiny-a');
      expect((await first.app.inject({ method: 'POST', url: '/v1/models/tiny-b/activate' })).statusCode).toBe(200);
      await expect.poll(() => second.server.active?.id, { timeout: 5000 }).toBe('tiny-b');
      // a model that fails to load in the first process never becomes the active one
      expect((await first.app.inject({ method: 'POST', url: '/v1/models/broken/activate' })).statusCode).toBe(400);
      const active = await second.app.inject({ method: 'GET', url: '/v1/models/active' });
      expect(active.json<{ id: string }>().id).toBe('tiny-b');
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('liveness and readiness', () => {
  it('is alive', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready with a model', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { model: 'ok' } });
  });

  it('answers 503 "no model" when none is loaded, and names a corrupt one, without crashing', async () => {
    const empty = await makeApp(world, { models: [] });
    const corrupt = await makeApp(world, { active: 'broken' });
    try {
      const none = await empty.app.inject({ method: 'GET', url: '/readyz' });
      expect(none.statusCode).toBe(503);
      expect(none.body).toContain('no model');
      const bad = await corrupt.app.inject({ method: 'GET', url: '/readyz' });
      expect(bad.statusCode).toBe(503);
      expect(bad.body).toContain('broken could not be loaded');
      expect((await empty.app.inject({ method: 'GET', url: '/v1/models/active' })).statusCode).toBe(503);
    } finally {
      await empty.close();
      await corrupt.close();
    }
  });
});

describe('auth and fuzzing', () => {
  it('refuses every spelling of every protected route without a key', async () => {
    const guarded = await makeApp(world, { active: 'tiny-a', apiKeys: ['admin-key'], readKeys: ['read-key'] });
    try {
      const url = await guarded.app.listen({ host: '127.0.0.1', port: 0 });
      await authSpellings(guarded.app);
      expect((await read(seven, '', {}, url)).status).toBe(401);
      expect((await read(seven, '', { 'x-api-key': 'read-key' }, url)).status).toBe(200);
      // a key of another permission is forbidden
      expect((await fetch(`${url}/v1/models`, { headers: { 'x-api-key': 'read-key' } })).status).toBe(403);
    } finally {
      await guarded.close();
    }
  });

  it('never answers 500 to random requests', async () => {
    const fuzzed = await makeApp(world, { active: 'tiny-b' });
    try {
      await fuzzService(fuzzed.app, { runs: 30, allowStatuses: [503] });
    } finally {
      await fuzzed.close();
    }
  }, 180_000);
});
