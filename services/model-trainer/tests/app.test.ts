import { authSpellings } from '@platform/core/testing';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHAKESPEARE } from './helpers/corpus.js';
import { trainerWorld, uploadText, type TrainerWorld } from './helpers/world.js';

const SHIPPED = 'char-lstm-shakespeare-v1';
const KEY = 'trainer-test-key';
let world: TrainerWorld;
let corpusId: string;
const auth = { 'x-api-key': KEY };

beforeAll(async () => {
  world = await trainerWorld({ apiKeys: [KEY] });
  corpusId = await uploadText(world.bank, Buffer.from((await readFile(SHAKESPEARE, 'utf8')).slice(0, 100_000)));
}, 120_000);
afterAll(async () => {
  await world.close();
});

interface RunView {
  run_id: string;
  status: string;
  progress: number;
  metrics: Record<string, number | null>;
  error: { kind: string; message: string } | null;
  artifact: unknown;
}
const getRun = async (id: string) => (await world.app.inject({ method: 'GET', url: `/v1/runs/${id}`, headers: auth })).json<RunView>();
const settled = async (id: string, pattern = /completed|failed|cancelled/) => {
  await expect.poll(async () => (await getRun(id)).status, { timeout: 90_000, interval: 300 }).toMatch(pattern);
  return getRun(id);
};
const post = (url: string, payload: object) => world.app.inject({ method: 'POST', url, payload, headers: auth });

describe('health and auth', () => {
  it('answers /healthz, /readyz, and refuses /v1 without the key except public samples', async () => {
    expect((await world.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await world.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', worker: 'ok' } });
    const refused = await world.app.inject({ method: 'POST', url: '/v1/runs', payload: {} });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const samples = await world.app.inject({ method: 'GET', url: `/v1/runs/${SHIPPED}/samples?prompt=ROMEO:&n=1&max_tokens=20` });
    expect(samples.statusCode).toBe(200);
    expect(samples.json<{ samples: string[] }>().samples[0]).toHaveLength(20);
  });

  it('refuses every spelling of every protected route without the key', async () => {
    await authSpellings(world.app);
  });

  it('validates run requests into the error envelope', async () => {
    const bad = await post('/v1/runs', { user_id: '1', family: 'gpt2', size: 'huge', corpus_file_id: corpusId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await post('/v1/runs', { user_id: '1', family: 'char_lstm', size: 'small', corpus_file_id: 'nope' })).statusCode).toBe(400);
    expect((await world.app.inject({ method: 'GET', url: '/v1/runs/missing', headers: auth })).statusCode).toBe(404);
  });
});

describe('the shipped char-LSTM', () => {
  it('generates as JSON (seeded, with stop strings) and as server-sent events, and scores text', async () => {
    const body = { prompt: 'ROMEO:', max_tokens: 60, temperature: 0.8, top_k: 20, seed: 3 };
    const first = (await post(`/v1/runs/${SHIPPED}/generate`, body)).json<{ text: string; tokens: number[] }>();
    expect(first.tokens).toHaveLength(60);
    expect((await post(`/v1/runs/${SHIPPED}/generate`, body)).json<{ text: string }>().text).toBe(first.text);
    const stopped = (await post(`/v1/runs/${SHIPPED}/generate`, { ...body, stop: ['\n'] })).json<{ text: string; finish_reason: string }>();
    expect(stopped.text).not.toContain('\n');

    const stream = await world.app.inject({
      method: 'POST',
      url: `/v1/runs/${SHIPPED}/generate`,
      payload: body,
      headers: { ...auth, accept: 'text/event-stream' },
    });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    const events = stream.body.trim().split('\n\n');
    expect(events.filter((event) => event.startsWith('event: token'))).toHaveLength(60);
    expect(events.at(-1)).toContain(JSON.stringify(first.text));

    const english = (await post(`/v1/runs/${SHIPPED}/score`, { text: 'KING RICHARD:\nWhat say you, my lord?' })).json<{
      loss: number;
      perplexity: number;
      tokens: { surprisal: number; top: unknown[] }[];
    }>();
    const noise = (await post(`/v1/runs/${SHIPPED}/score`, { text: 'qzx vvkj wpqz xqqj zzkw pqxv' })).json<{ loss: number }>();
    expect(english.loss).toBeLessThan(2.2);
    expect(noise.loss).toBeGreaterThan(english.loss + 1);
    expect(english.tokens[0]?.top).toHaveLength(5);
    expect(english.perplexity).toBeCloseTo(Math.exp(english.loss), 6);
  });
});

describe('chat', () => {
  it('keeps a session in Redis with a TTL and feeds the transcript back as the prompt', async () => {
    const first = (await post(`/v1/runs/${SHIPPED}/chat`, { message: 'Good morrow, sir.', max_tokens: 40, seed: 1 })).json<{
      session_id: string;
      reply: string;
      turns: unknown[];
    }>();
    expect(first.turns).toHaveLength(2);
    expect(first.reply).not.toContain('\n\n');
    const second = (
      await post(`/v1/runs/${SHIPPED}/chat`, { session_id: first.session_id, message: 'What news?', max_tokens: 40, seed: 2 })
    ).json<{ turns: unknown[] }>();
    expect(second.turns).toHaveLength(4);
    const ttl = await world.redis.ttl(`${world.prefix}:chat:${first.session_id}`);
    expect(ttl).toBeGreaterThan(0);
    expect((await post(`/v1/runs/${SHIPPED}/chat`, { session_id: '00000000-0000-4000-8000-000000000000', message: 'hi' })).statusCode).toBe(
      404,
    );
  });
});

describe('training through the API', () => {
  it('trains a BPE tokenizer, then a tiny GPT-2 on it, with live metrics, curve, logs, events and a servable model', async () => {
    const tokenizer = await post('/v1/tokenizers', { user_id: '7', kind: 'bpe', corpus_file_id: corpusId, vocab_size: 400 });
    expect(tokenizer.statusCode).toBe(202);
    const { tokenizer_id } = tokenizer.json<{ tokenizer_id: string }>();
    await expect
      .poll(
        async () =>
          (await world.app.inject({ method: 'GET', url: `/v1/tokenizers/${tokenizer_id}`, headers: auth })).json<{ status: string }>()
            .status,
        { timeout: 30_000 },
      )
      .toBe('completed');

    const queued = await post('/v1/runs', {
      user_id: '7',
      family: 'gpt2',
      size: 'tiny',
      corpus_file_id: corpusId,
      tokenizer_id,
      context_length: 32,
      batch_size: 8,
      max_steps: 30,
      lr: 3e-3,
      warmup_steps: 5,
      eval_interval_s: 1,
      eval_batches: 2,
    });
    expect(queued.statusCode).toBe(202);
    const { run_id } = queued.json<{ run_id: string }>();
    const done = await settled(run_id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.metrics.step).toBe(30);
    expect(done.metrics.best_val_loss).toBeGreaterThan(0);

    const curve = (await world.app.inject({ method: 'GET', url: `/v1/runs/${run_id}/metrics`, headers: auth })).json<{
      points: { kind: string }[];
    }>();
    expect(curve.points.some((point) => point.kind === 'eval')).toBe(true);
    const csv = await world.app.inject({ method: 'GET', url: `/v1/runs/${run_id}/metrics?format=csv`, headers: auth });
    expect(csv.body.split('\n')[0]).toBe('kind,step,tokens,elapsed_s,train_loss,val_loss,best_val_loss,tokens_per_s,lr');
    expect((await world.app.inject({ method: 'GET', url: `/v1/runs/${run_id}/logs`, headers: auth })).statusCode).toBe(200);
    const types = world.events.map((event) => event.type);
    for (const type of [
      'trainer.job.started.v1',
      'trainer.metrics.config.v1',
      'trainer.metrics.step.v1',
      'trainer.metrics.eval.v1',
      'trainer.metrics.completed.v1',
      'trainer.job.completed.v1',
    ]) {
      expect(types).toContain(type);
    }
    const generated = (await post(`/v1/runs/${run_id}/generate`, { prompt: 'The king', max_tokens: 40, seed: 1 })).json<{
      tokens: number[];
    }>();
    expect(generated.tokens).toHaveLength(40);
    expect((await post(`/v1/runs/${run_id}/score`, { text: 'The king is here.' })).statusCode).toBe(200);
  });

  it('cancels a running run (DELETE), keeping its checkpoint, and resumes from it', async () => {
    const { run_id } = (
      await post('/v1/runs', {
        user_id: '7',
        family: 'char_lstm',
        size: 'small',
        corpus_file_id: corpusId,
        context_length: 32,
        batch_size: 8,
        time_budget_s: 120,
        eval_interval_s: 100,
      })
    ).json<{ run_id: string }>();
    await expect.poll(async () => (await getRun(run_id)).metrics.step, { timeout: 60_000, interval: 300 }).toBeGreaterThan(0);
    expect((await world.app.inject({ method: 'DELETE', url: `/v1/runs/${run_id}`, headers: auth })).statusCode).toBe(202);
    const cancelled = await settled(run_id, /cancelled|failed|completed/);
    expect(cancelled.status).toBe('cancelled');
    const resumed = await post('/v1/runs', {
      user_id: '7',
      family: 'char_lstm',
      size: 'small',
      corpus_file_id: corpusId,
      context_length: 32,
      batch_size: 8,
      max_steps: (cancelled.metrics.step ?? 0) + 5,
      eval_interval_s: 100,
      resume_from: run_id,
    });
    expect(resumed.statusCode).toBe(202);
    const done = await settled(resumed.json<{ run_id: string }>().run_id);
    expect(done.status).toBe('completed');
    expect(done.metrics.step).toBe((cancelled.metrics.step ?? 0) + 5);
  });

  it('fails a run on a corrupt corpus as a user error, with a failed event', async () => {
    const corrupt = await uploadText(world.bank, Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 1, 2, 3]));
    const { run_id } = (
      await post('/v1/runs', { user_id: '7', family: 'char_lstm', size: 'small', corpus_file_id: corrupt, max_steps: 1 })
    ).json<{ run_id: string }>();
    const failed = await settled(run_id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('user');
    expect(failed.error?.message).toMatch(/gzip/);
    await expect.poll(() => world.events.some((event) => event.type === 'trainer.job.failed.v1' && event.job_id === run_id)).toBe(true);
  });
});
