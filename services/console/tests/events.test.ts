import { jobEventType, metricsEventType } from '@platform/core';
import { createQueue, EventPublisher } from '@platform/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsole, VIEWER_KEY, type TestConsole } from './helpers/console.js';

let world: TestConsole;
let publisher: EventPublisher;

beforeAll(async () => {
  world = await startConsole();
  publisher = new EventPublisher(world.redis, { namespace: world.namespace });
});
afterAll(() => world.close());

const progress = (domain: string, jobId: string, userId: string, pct: number) =>
  publisher.publish({
    type: jobEventType(domain, 'progress'),
    domain,
    job_id: jobId,
    user_id: userId,
    ts: new Date().toISOString(),
    progress: pct,
    message: `at ${String(pct)}`,
  });

/** Reads server-sent events until `count` data frames arrived. */
async function frames(response: Response, count: number): Promise<{ id: string; data: Record<string, unknown> }[]> {
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('no body');
  let text = '';
  const found: { id: string; data: Record<string, unknown> }[] = [];
  while (found.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const blocks = text.split('\n\n');
    text = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const id = /^id: (.*)$/m.exec(block)?.[1];
      if (data && id) found.push({ id, data: JSON.parse(data) as Record<string, unknown> });
    }
  }
  await reader.cancel();
  return found;
}

describe('GET /api/events', () => {
  it('sends the recent events, then live ones, filtered by domain and user', async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    await progress('qr', 'old-1', '7', 10);
    await progress('qr', 'other-user', '8', 10);
    await progress('turkic', 'other-domain', '7', 10);
    const response = await fetch(`${world.url}/api/events?domain=qr&user=7`, { headers: { cookie } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reading = frames(response, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await progress('turkic', 'live-other', '7', 50);
    await progress('qr', 'live-1', '7', 50);
    const got = await reading;
    expect(got.map((frame) => frame.data.job_id)).toEqual(['old-1', 'live-1']);
    expect(got[0]?.id).toMatch(/^qr@\d+-\d+$/);
  });

  it('keeps only the last metrics event of each job in the backlog when asked', async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    const metrics = (step: number) =>
      publisher.publish({
        type: metricsEventType('trainer', 'step'),
        domain: 'trainer',
        job_id: 'run-1',
        user_id: '9',
        ts: new Date(Date.now() + step).toISOString(),
        metrics: { step },
      });
    await progress('trainer', 'run-1', '9', 1);
    for (const step of [1, 2, 3]) await metrics(step);
    const latest = await frames(
      await fetch(`${world.url}/api/events?domain=trainer&user=9&metrics=latest&backlog=2`, { headers: { cookie } }),
      2,
    );
    expect(latest.map((frame) => frame.data.type)).toEqual(['trainer.job.progress.v1', 'trainer.metrics.step.v1']);
    expect(latest[1]?.data.metrics).toEqual({ step: 3 });
    const all = await frames(await fetch(`${world.url}/api/events?domain=trainer&user=9&backlog=2`, { headers: { cookie } }), 2);
    expect(all.map((frame) => (frame.data.metrics as { step: number }).step)).toEqual([2, 3]);
  });

  it('refuses an unknown domain and an anonymous caller', async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    const bad = await world.app.inject({ url: '/api/events?domain=nope', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect((await world.app.inject('/api/events')).statusCode).toBe(401);
  });
});

describe('GET /api/jobs/:domain/:id', () => {
  it("reads a job's status from its queue", async () => {
    const { cookie } = await login(world.app, VIEWER_KEY);
    const queue = createQueue({ queue: 'qr', connection: world.redis, prefix: `${world.namespace}bull` });
    const job = await queue.add('make', { user_id: '7' });
    const response = await world.app.inject({ url: `/api/jobs/qr/${String(job.id)}`, headers: { cookie } });
    expect(response.json()).toMatchObject({ job_id: job.id, user_id: '7', status: 'queued', progress: 0 });
    const missing = await world.app.inject({ url: '/api/jobs/qr/nope', headers: { cookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    await queue.close();
  });
});
