import { deleteKeys, uniqueName, waitFor } from '@platform/testing';
import { createLogger, jobCompleted, jobProgress, jobStarted, metricsEvent } from '@platform/core';
import { closeRedis, createRedis, EventPublisher, eventNames } from '@platform/workers';
import { afterEach, describe, expect, it } from 'vitest';
import { embedDigest, jobEmbed, JobStore, JobUpdateConsumer, newJobView, type JobRecord, type JobView } from '../src/index.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
const logger = createLogger({ service: 'consumer-test', level: 'silent' });
const USER = '123456789012345678';

interface Harness {
  namespace: string;
  redis: ReturnType<typeof createRedis>;
  store: JobStore;
  publisher: EventPublisher;
  delivered: { record: JobRecord; view: JobView }[];
  consumer?: JobUpdateConsumer;
}

const harnesses: Harness[] = [];

function harness(): Harness {
  const namespace = `${uniqueName('consumer')}:`;
  const redis = createRedis(REDIS_URL, 'command');
  const h: Harness = {
    namespace,
    redis,
    store: new JobStore(redis, { prefix: `${namespace}job:` }),
    publisher: new EventPublisher(redis, { namespace }),
    delivered: [],
  };
  harnesses.push(h);
  return h;
}

function consumer(
  h: Harness,
  deliver: (record: JobRecord & { message_id: string }, view: JobView) => Promise<void>,
  extra: Partial<ConstructorParameters<typeof JobUpdateConsumer>[0]> = {},
) {
  h.consumer = new JobUpdateConsumer({
    redis: h.redis,
    blocking: extra.blocking ?? createRedis(REDIS_URL, 'blocking'),
    store: h.store,
    domains: ['trainer', 'digits'],
    group: 'bot',
    consumer: 'one',
    namespace: h.namespace,
    logger,
    deliver,
    digest,
    retryBaseMs: 10,
    retryMaxMs: 50,
    blockMs: 100,
    ...extra,
  });
  return h.consumer;
}

/** What the message shows, as the bot digests it (its title and embed, not the time). */
const digest = (record: JobRecord, view: JobView): string => embedDigest(jobEmbed(view, record.title ?? 'Job'));

/** A delivery that records what it was given. */
const record =
  (h: Harness) =>
  (delivered: JobRecord & { message_id: string }, view: JobView): Promise<void> => {
    h.delivered.push({ record: delivered, view });
    return Promise.resolve();
  };

async function registered(h: Harness, jobId: string, domain = 'trainer'): Promise<void> {
  await h.store.register({ domain, job_id: jobId, channel_id: '1', title: 'Run', user_id: USER });
  await h.store.setMessage(domain, jobId, '2', digest({ domain, job_id: jobId, title: 'Run' }, newJobView(domain, jobId)));
}

async function pending(h: Harness, domain = 'trainer'): Promise<number> {
  const summary = (await h.redis.xpending(eventNames(domain, h.namespace).stream, 'bot')) as [number, ...unknown[]];
  return summary[0];
}

/** Waits until the job's view has the stream's last entry applied and nothing is left unacknowledged. */
async function settled(h: Harness, jobId: string, domain = 'trainer'): Promise<void> {
  const stream = eventNames(domain, h.namespace).stream;
  await waitFor(async () => {
    const [last] = await h.redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    return last !== undefined && (await h.store.view(domain, jobId)).applied === last[0] && (await pending(h, domain)) === 0;
  });
}

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.consumer?.close();
    await deleteKeys(h.redis, `${h.namespace}*`);
    await closeRedis(h.redis);
  }
});

describe('JobUpdateConsumer', () => {
  it('edits the job message per event in order, with metrics, and acknowledges each', async () => {
    const h = harness();
    await registered(h, 'job-1');
    await consumer(h, record(h)).start();
    await h.publisher.publish(jobStarted({ domain: 'trainer', job_id: 'job-1', user_id: USER, queue: 'trainer' }));
    await h.publisher.publish(
      jobProgress({
        domain: 'trainer',
        job_id: 'job-1',
        user_id: USER,
        progress: 40,
        message: 'epoch 2/5',
        payload: { train_loss: 1.234, tokens_per_s: 5120 },
      }),
    );
    await h.publisher.publish(
      metricsEvent({ domain: 'trainer', job_id: 'job-1', user_id: USER, name: 'eval', metrics: { val_loss: 1.5 } }),
    );
    await h.publisher.publish(
      jobCompleted({ domain: 'trainer', job_id: 'job-1', user_id: USER, result: { url: 'https://example.com/run' } }),
    );
    await waitFor(() => h.delivered.at(-1)?.view.status === 'completed');
    await h.consumer?.idle();
    const last = h.delivered.at(-1)?.view;
    expect(last).toMatchObject({ status: 'completed', progress: 100, metrics: { train_loss: 1.234, tokens_per_s: 5120, val_loss: 1.5 } });
    expect(h.delivered.every((entry) => entry.record.message_id === '2' && entry.record.channel_id === '1')).toBe(true);
    const progressSeen = h.delivered.map((entry) => entry.view.progress);
    expect(progressSeen).toEqual([...progressSeen].sort((a, b) => a - b));
    expect(await pending(h)).toBe(0);
  });

  it('retries a failed edit and acknowledges only after it succeeds', async () => {
    const h = harness();
    await registered(h, 'job-2');
    let failures = 0;
    await consumer(h, async (_record, view) => {
      if (failures < 3) {
        failures += 1;
        expect(await pending(h)).toBe(1); // not acknowledged while the edit fails
        throw Object.assign(new Error('Discord 500'), { status: 500 });
      }
      h.delivered.push({ record: _record, view });
    }).start();
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-2', user_id: USER, progress: 10 }));
    await waitFor(() => h.delivered.length === 1);
    await h.consumer?.idle();
    expect(failures).toBe(3);
    expect(await pending(h)).toBe(0);
  });

  it('skips an edit that would change only the time, acknowledges it, and agrees with a restarted consumer', async () => {
    const h = harness();
    await registered(h, 'job-same');
    await consumer(h, record(h)).start();
    const step = () =>
      jobProgress({
        domain: 'trainer',
        job_id: 'job-same',
        user_id: USER,
        progress: 40,
        message: 'step 2',
        payload: { train_loss: 3.38012 },
      });
    await h.publisher.publish(step());
    await waitFor(() => h.delivered.length === 1);
    await h.consumer?.idle();
    const shown = (await h.store.record('trainer', 'job-same')).shown;
    expect(shown).toBe(digest({ domain: 'trainer', job_id: 'job-same', title: 'Run' }, h.delivered[0]?.view as JobView));
    await h.publisher.publish(step()); // the same report again, a later timestamp
    await h.publisher.publish(
      jobProgress({ domain: 'trainer', job_id: 'job-same', user_id: USER, progress: 40.2, payload: { train_loss: 3.38015 } }),
    ); // shows as 40%, 3.380
    await settled(h, 'job-same');
    expect(h.delivered).toHaveLength(1);
    await h.consumer?.close();
    // Another process (or this one restarted) reads the same record: still nothing to edit.
    await consumer(h, record(h), { consumer: 'two' }).start();
    await h.publisher.publish(step());
    await settled(h, 'job-same');
    expect(h.delivered).toHaveLength(1);
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-same', user_id: USER, progress: 70 }));
    await waitFor(() => h.delivered.length === 2);
    await h.consumer?.idle();
    expect(await pending(h)).toBe(0);
    expect((await h.store.record('trainer', 'job-same')).shown).not.toBe(shown);
  });

  it('forgets what the message shows while an edit fails (it may have landed), and records it once accepted', async () => {
    const h = harness();
    await registered(h, 'job-unknown');
    let failures = 0;
    const seenWhileFailing: (string | undefined)[] = [];
    await consumer(h, async (delivered, view) => {
      if (failures < 2) {
        failures += 1;
        seenWhileFailing.push((await h.store.record('trainer', 'job-unknown')).shown);
        throw Object.assign(new Error('Discord 500'), { status: 500 });
      }
      h.delivered.push({ record: delivered, view });
    }).start();
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-unknown', user_id: USER, progress: 10 }));
    await waitFor(() => h.delivered.length === 1);
    await h.consumer?.idle();
    expect(seenWhileFailing).toEqual([undefined, undefined]);
    expect((await h.store.record('trainer', 'job-unknown')).shown).toBe(
      digest({ domain: 'trainer', job_id: 'job-unknown', title: 'Run' }, h.delivered[0]?.view as JobView),
    );
    expect(await pending(h)).toBe(0);
  });

  it('dead-letters after the last attempt, and at once for a permanent error, with the reason', async () => {
    const h = harness();
    await registered(h, 'flaky');
    await registered(h, 'gone', 'digits');
    await consumer(
      h,
      (delivered) => {
        if (delivered.job_id === 'gone') return Promise.reject(Object.assign(new Error('Unknown Message'), { status: 404 }));
        return Promise.reject(Object.assign(new Error('Discord 503'), { status: 503 }));
      },
      { maxAttempts: 3 },
    ).start();
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'flaky', user_id: USER, progress: 10 }));
    await h.publisher.publish(jobProgress({ domain: 'digits', job_id: 'gone', user_id: USER, progress: 10 }));
    const dead = () => h.redis.xrange(h.consumer?.deadLetterStream ?? '', '-', '+');
    await waitFor(async () => (await dead()).length === 2);
    const reasons = Object.fromEntries(
      (await dead()).map(([, fields]) => {
        const map: Record<string, string> = {};
        for (let index = 0; index + 1 < fields.length; index += 2) map[fields[index] ?? ''] = fields[index + 1] ?? '';
        return [(JSON.parse(map['event'] ?? '{}') as { job_id: string }).job_id, map];
      }),
    );
    expect(reasons['flaky']).toMatchObject({
      reason: 'gave up after 3 attempt(s): Discord 503',
      attempts: '3',
      stream: `${h.namespace}events:trainer`,
    });
    expect(reasons['gone']).toMatchObject({ reason: 'permanent after 1 attempt(s): Unknown Message', attempts: '1' });
    expect(await pending(h)).toBe(0);
    expect(await pending(h, 'digits')).toBe(0);
  });

  it('keeps the view of a job it has no message for, and skips undecodable entries into the dead letters', async () => {
    const h = harness();
    await consumer(h, record(h)).start();
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'early', user_id: USER, progress: 30, message: 'tokenizing' }));
    await h.redis.xadd(eventNames('trainer', h.namespace).stream, '*', 'event', '{"type":"nope"}');
    await waitFor(async () => (await pending(h)) === 0 && (await h.redis.xlen(h.consumer?.deadLetterStream ?? '')) === 1);
    expect(h.delivered).toHaveLength(0);
    expect(await h.store.view('trainer', 'early')).toMatchObject({ status: 'processing', progress: 30, message: 'tokenizing' });
    const ttl = await h.redis.ttl(h.store.key('trainer', 'early'));
    expect(ttl).toBeGreaterThan(3000); // an unregistered job's view lives an hour, a registered one 30 days
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('after a restart, delivers what was published while it was down and what it had not acknowledged', async () => {
    const h = harness();
    await registered(h, 'job-3');
    let down = true;
    const first = consumer(
      h,
      () => (down ? Promise.reject(Object.assign(new Error('Discord unreachable'), { status: 502 })) : Promise.resolve()),
      { maxAttempts: 1_000 },
    );
    await first.start();
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-3', user_id: USER, progress: 20 }));
    await waitFor(async () => (await pending(h)) === 1);
    await first.close(); // the entry stays pending
    expect(await pending(h)).toBe(1);
    await h.publisher.publish(jobCompleted({ domain: 'trainer', job_id: 'job-3', user_id: USER }));
    down = false;
    await consumer(h, record(h)).start();
    await waitFor(() => h.delivered.at(-1)?.view.status === 'completed');
    await h.consumer?.idle();
    expect(await pending(h)).toBe(0);
  });

  it('recreates its group when Redis lost it (a restart without persistence)', async () => {
    const h = harness();
    await registered(h, 'job-4');
    await consumer(h, record(h)).start();
    await h.redis.xgroup('DESTROY', eventNames('trainer', h.namespace).stream, 'bot');
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-4', user_id: USER, progress: 50 }));
    await waitFor(() => h.delivered.length === 1);
    expect(h.delivered[0]?.view).toMatchObject({ status: 'processing', progress: 50 });
    await h.consumer?.idle();
    expect(await pending(h)).toBe(0);
  });

  it('keeps delivering after its Redis connections are cut (ioredis reconnects, nothing is lost)', async () => {
    const h = harness();
    await registered(h, 'job-5');
    const blocking = createRedis(REDIS_URL, 'blocking');
    const blockingId = String(await blocking.client('ID'));
    await consumer(h, record(h), { blocking }).start();
    const killer = createRedis(REDIS_URL, 'command');
    await killer.client('KILL', 'ID', blockingId);
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-5', user_id: USER, progress: 70 }));
    await waitFor(() => h.delivered.length === 1, 15_000);
    expect(h.delivered[0]?.view.progress).toBe(70);
    await h.consumer?.idle();
    expect(await pending(h)).toBe(0);
    await closeRedis(killer);
  });

  it('takes over the entries a dead consumer read and never acknowledged', async () => {
    const h = harness();
    await registered(h, 'job-6');
    const stream = eventNames('trainer', h.namespace).stream;
    await h.redis.xgroup('CREATE', stream, 'bot', '$', 'MKSTREAM');
    await h.publisher.publish(jobProgress({ domain: 'trainer', job_id: 'job-6', user_id: USER, progress: 90 }));
    await h.redis.xreadgroup('GROUP', 'bot', 'dead', 'COUNT', 10, 'STREAMS', stream, '>'); // read, then the process "died"
    await new Promise((resolve) => setTimeout(resolve, 150));
    await consumer(h, record(h), { claimIdleMs: 100 }).start();
    await waitFor(() => h.delivered.length === 1);
    expect(h.delivered[0]?.view.progress).toBe(90);
    await h.consumer?.idle();
    expect(await pending(h)).toBe(0);
  });
});
