/**
 * discord benchmark: job events from XADD to the edit the fake Discord receives, with 1,000 jobs
 * running at once (each: started, 5 progress events, completed = 7,000 events), through the bot's
 * JobUpdateConsumer (per-job order, different jobs in parallel, a job's queued events coalesced into one
 * edit) against the peer measured in the same run: @platform/workers' consumeEventStream, which
 * handles entries one at a time, with the same edit per event. Real Redis, real HTTP to a local fake
 * Discord (tests/helpers/fake-discord.ts) through @discordjs/rest.
 *
 *   npm run bench -- discord [jobs]            (about 5 minutes for 1,000 jobs; the sequential peer under
 *                                              Discord's 50 requests/s takes most of it)
 */
import { createLogger, jobCompleted, jobProgress, jobStarted, type PlatformEvent } from '@platform/core';
import { embedDigest, JobStore, JobUpdateConsumer, jobEmbed, type JobView } from '@platform/discord';
import { closeRedis, consumeEventStream, createRedis, EventPublisher } from '@platform/workers';
import { randomBytes } from 'node:crypto';
import { DiscordApi } from '../../clients/discord-bot/src/discord/api.js';
import { FakeDiscord } from '../../clients/discord-bot/tests/helpers/fake-discord.js';
import { printTable, summarise, type BenchRow } from '../lib/report.js';

const JOBS = Number(process.argv[2] ?? 1000);
const PROGRESS_STEPS = [20, 40, 60, 80, 95];
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
const USER = '123456789012345678';
const logger = createLogger({ service: 'bench-discord', level: 'warn' });

interface Tracked {
  channelId: string;
  messageId: string;
  /** Publish times of events not yet seen in an edit, with the progress each one carries. */
  waiting: { at: number; progress: number }[];
}

/** A progress the edit shows: from the embed's description (`▰▰▱… 40%`). */
const shownProgress = (body: unknown): number => {
  const description = (body as { embeds?: { description?: string }[] }).embeds?.[0]?.description ?? '';
  return Number(/ (\d+)%/.exec(description)?.[1] ?? -1);
};

async function runCase(subject: 'bot consumer' | 'sequential consumeEventStream', globalRequestsPerSecond: number): Promise<BenchRow[]> {
  const namespace = `bench:discord:${randomBytes(4).toString('hex')}:`;
  const fake = await FakeDiscord.start();
  const redis = createRedis(REDIS_URL, 'command');
  const blocking = createRedis(REDIS_URL, 'blocking');
  const api = DiscordApi.create({
    apiBaseUrl: fake.apiBase,
    token: fake.token,
    applicationId: fake.applicationId,
    globalRequestsPerSecond,
  });
  const store = new JobStore(redis, { prefix: `${namespace}job:` });
  const jobs = new Map<string, Tracked>();
  const latencies: number[] = [];
  let lastEdit = 0;

  // 1,000 jobs, each with its message in its own DM channel, registered as the bot does.
  const ids = Array.from({ length: JOBS }, (_, n) => `job-${n}`);
  await Promise.all(
    ids.map(async (jobId) => {
      const channelId = await api.dmChannel(String(100000000000000000n + BigInt(jobId.slice(4))));
      const message = await api.createMessage(channelId, { content: 'queued' });
      await store.register({ domain: 'trainer', job_id: jobId, channel_id: channelId, title: 'Run', user_id: USER });
      await store.setMessage('trainer', jobId, message.id);
      jobs.set(message.id, { channelId, messageId: message.id, waiting: [] });
    }),
  );
  const byJob = new Map([...jobs.values()].map((tracked, index) => [ids[index] ?? '', tracked]));
  let cursor = fake.requests.length;
  const setupRequests = cursor;

  const observe = () => {
    for (const request of fake.requests.slice(cursor)) {
      const id = /\/messages\/(\d+)$/.exec(request.path)?.[1];
      const tracked = id === undefined ? undefined : jobs.get(id);
      if (request.method !== 'PATCH' || !tracked) continue;
      const progress = shownProgress(request.body);
      tracked.waiting = tracked.waiting.filter((entry) => {
        if (entry.progress > progress) return true;
        latencies.push(request.at - entry.at);
        return false;
      });
      lastEdit = Math.max(lastEdit, request.at);
    }
    cursor = fake.requests.length;
  };

  const deliver = async (channelId: string, messageId: string, view: JobView) => {
    await api.editMessage(channelId, messageId, { embeds: [jobEmbed(view, 'Run')] });
  };
  let close: () => Promise<void>;
  if (subject === 'bot consumer') {
    const consumer = new JobUpdateConsumer({
      redis,
      blocking,
      store,
      domains: ['trainer'],
      group: 'bot',
      consumer: 'bench',
      namespace,
      logger,
      deliver: (record, view) => deliver(record.channel_id ?? '', record.message_id, view),
      digest: (_record, view) => embedDigest(jobEmbed(view, 'Run')),
    });
    await consumer.start();
    close = () => consumer.close();
  } else {
    // The same work per event (store the view, read the record, edit), but one event at a time.
    const subscription = await consumeEventStream({
      redis: blocking,
      domain: 'trainer',
      group: 'bot',
      consumer: 'bench',
      namespace,
      logger,
      onEvent: async (event: PlatformEvent) => {
        const view = await store.apply('trainer', event.job_id, [{ id: `${Date.now()}-0`, event }]);
        const record = await store.record('trainer', event.job_id);
        await deliver(record.channel_id ?? '', record.message_id ?? '', view);
      },
    });
    close = () => subscription.close();
  }

  const publisher = new EventPublisher(redis, { namespace });
  const started = Date.now();
  const publish = async (jobId: string, event: PlatformEvent, progress: number) => {
    const tracked = byJob.get(jobId);
    tracked?.waiting.push({ at: Date.now(), progress });
    await publisher.publish(event);
  };
  // Every job emits its events in order, all jobs at once (as 1,000 workers would).
  await Promise.all(
    ids.map(async (jobId) => {
      const envelope = { domain: 'trainer', job_id: jobId, user_id: USER };
      await publish(jobId, jobStarted({ ...envelope, queue: 'trainer' }), 0);
      for (const progress of PROGRESS_STEPS) await publish(jobId, jobProgress({ ...envelope, progress }), progress);
      await publish(jobId, jobCompleted(envelope), 100);
    }),
  );
  const total = JOBS * (PROGRESS_STEPS.length + 2);
  const deadline = Date.now() + 300_000;
  while (latencies.length < total && Date.now() < deadline) {
    observe();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  observe();
  const edits = fake.requests.length - setupRequests;
  await close();
  const keys = await redis.keys(`${namespace}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await closeRedis(redis);
  await closeRedis(blocking);
  await fake.close();
  const summary = summarise(latencies, lastEdit - started);
  const extra = { p50_ms: summary.p50, p99_ms: summary.p99, events: summary.count, edits };
  const limit = globalRequestsPerSecond >= 10_000 ? 'no global limit' : `${globalRequestsPerSecond} req/s global limit`;
  return [{ case: `${JOBS} jobs x 7 events, ${limit}`, subject, value: summary.perSecond, unit: 'events/s', extra }];
}

const rows: BenchRow[] = [];
// Discord's default global limit for a bot (what @discordjs/rest enforces), then without it: the pipeline's own ceiling.
for (const limit of [50, 100_000]) {
  rows.push(...(await runCase('sequential consumeEventStream', limit)), ...(await runCase('bot consumer', limit)));
}
printTable('discord: XADD → fake Discord edit', rows, 'sequential consumeEventStream');
