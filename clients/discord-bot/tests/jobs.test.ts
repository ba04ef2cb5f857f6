import { deleteKeys, waitFor } from '@platform/testing';
import { jobProgress, jobStarted } from '@platform/core';
import { JobStore } from '@platform/discord';
import { createRedis, closeRedis, EventPublisher, eventNames } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type Message } from './helpers/fake-discord.js';
import { startService, startWorkerProcess, type ServiceProcess } from './helpers/processes.js';

const CHANNEL = '777777777777777777';
const USER = '111111111111111111';
const SENTENCES = [
  'Қазақстан Республикасы Орталық Азияда орналасқан мемлекет.',
  'Астана қаласы елдің астанасы болып табылады.',
  'Қазақ тілі мемлекеттік тіл болып саналады.',
];

interface Embed {
  title: string;
  description: string;
  footer: { text: string };
}

describe('job updates: one message per job, edited in place, nothing lost across a restart', () => {
  const namespace = testNamespace('jobs');
  const redis = createRedis(REDIS_URL, 'command');
  let fake: FakeDiscord;
  let dataBank: DataBankProcess;
  let turkic: ServiceProcess;
  let bot: Bot | undefined;
  let env: Record<string, string>;
  let serviceEnv: Record<string, string>;

  beforeAll(async () => {
    [fake, dataBank] = await Promise.all([FakeDiscord.start(), startDataBankProcess()]);
    serviceEnv = {
      TURKIC_API_KEYS: 'turkic-key',
      TURKIC_EVENTS_NAMESPACE: namespace,
      TURKIC_QUEUE_PREFIX: `${namespace}bull`,
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      REDIS_URL,
    };
    turkic = await startService('turkic-api', serviceEnv); // no worker yet: the job waits in the queue
    env = {
      TURKIC_API_URL: turkic.url,
      TURKIC_API_KEY: 'turkic-key',
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      DISCORD_EVENT_DOMAINS: 'turkic',
    };
  });
  afterAll(async () => {
    await bot?.close();
    await Promise.all([fake.close(), turkic.stop(), dataBank.stop()]);
    await deleteKeys(redis, `${namespace}*`);
    await closeRedis(redis);
  });

  /** `/turkic corpus` on a small file in data-bank: the job's id, from the bot's answer. */
  async function startCorpusJob(): Promise<{ jobId: string }> {
    const file = await dataBank.client.upload(
      { kind: 'buffer', data: Buffer.from(`${SENTENCES.join('\n')}\n`) },
      { contentType: 'text/plain' },
    );
    const interaction = fake.interaction({
      name: 'turkic',
      channelId: CHANNEL,
      userId: USER,
      options: [
        {
          type: 1,
          name: 'corpus',
          options: [
            { type: 3, name: 'language', value: 'kk' },
            { type: 3, name: 'source', value: 'data_bank' },
            { type: 3, name: 'file_id', value: file.file_id },
          ],
        },
      ],
    });
    fake.dispatchInteraction(interaction);
    const { answer } = await fake.answerTo(interaction);
    const jobId = /Corpus job `([^`]+)` queued; updates below\./.exec(answer?.content ?? '')?.[1] ?? '';
    expect(jobId).not.toBe('');
    return { jobId };
  }

  const messageOf = (jobId: string) =>
    [...fake.messages.values()].find(
      (m) => m.channel_id === CHANNEL && (m.embeds[0] as Embed | undefined)?.footer.text === `turkic job ${jobId}`,
    ) as Message;

  it('posts the queued job once, then after a restart edits that same message to the result; a Discord 500 is retried and acked only after success', async () => {
    bot = await startTestBot(fake, namespace, env);
    const { jobId } = await startCorpusJob();

    const created = fake.find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`));
    expect(created).toHaveLength(1);
    const createBody = created[0]?.body as { embeds: Embed[]; nonce: string; enforce_nonce: boolean };
    expect(createBody.enforce_nonce).toBe(true);
    expect(createBody.nonce).toMatch(/^[0-9a-f]{25}$/);
    expect(createBody.embeds[0]).toMatchObject({
      title: 'Corpus kk · Queued',
      description: '▱▱▱▱▱▱▱▱▱▱ 0%',
      footer: { text: `turkic job ${jobId}` },
    });
    const message = messageOf(jobId);

    // The bot goes down; the job runs and finishes meanwhile.
    await bot.close();
    bot = undefined;
    const worker = startWorkerProcess('turkic-api', serviceEnv);
    try {
      const finished = async () => {
        const status = (await (
          await fetch(`${turkic.url}/v1/corpus-jobs/${jobId}`, { headers: { 'x-api-key': 'turkic-key' } })
        ).json()) as { status: string };
        return status.status === 'completed' || status.status === 'failed';
      };
      await waitFor(finished, 60_000, 'the corpus job to finish');
    } finally {
      await worker.stop();
    }
    const stream = eventNames('turkic', namespace).stream;
    expect(await redis.xlen(stream)).toBeGreaterThanOrEqual(2);

    // Discord fails the next 6 edits with 500 (more than @discordjs/rest's own 3 retries).
    fake.fail('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${message.id}$`), 500, 6);
    bot = await startTestBot(fake, namespace, env);
    await fake.waitFor(() => fake.find('PATCH', /^\/channels\//).length >= 4, 20_000, 'the failing edits');
    const pendingWhileFailing = (await redis.xpending(stream, 'discord-bot')) as [number];
    expect(pendingWhileFailing[0]).toBeGreaterThan(0);

    await fake.waitFor(() => (message.embeds[0] as Embed | undefined)?.title === 'Corpus kk · Done', 30_000, 'the final edit');
    await bot.consumer.idle();
    expect(((await redis.xpending(stream, 'discord-bot')) as [number])[0]).toBe(0);
    expect(fake.find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`))).toHaveLength(1);
    const finalEdit = fake.find('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${message.id}$`)).at(-1);
    expect(finalEdit?.files.map((f) => f.name)).toEqual(['result.txt']);
    const corpus = finalEdit?.files[0]?.data.toString('utf8') ?? '';
    expect(corpus.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect((message.embeds[0] as Embed).description).toMatch(/^▰{10} 100%\nResult file `[0-9a-f]{12}…` \(\d+ bytes\)$/);
    expect(await redis.xlen(`${namespace}${namespace}dead-letter`)).toBe(0);
  });

  it('skips an edit that would change only the time (a repeated report), also after a restart, and acknowledges it', async () => {
    await bot?.close();
    bot = await startTestBot(fake, namespace, env);
    const { jobId } = await startCorpusJob(); // no worker runs: the events below are the job's only ones
    const message = messageOf(jobId);
    const edits = () => fake.find('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${message.id}$`));
    const stream = eventNames('turkic', namespace).stream;
    const store = new JobStore(redis, { prefix: `${namespace}job:` });
    /** Every entry published so far applied to the job's view and acknowledged. */
    const settled = () =>
      waitFor(
        async () => {
          const [last] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
          const pending = (await redis.xpending(stream, 'discord-bot')) as [number];
          return last !== undefined && (await store.view('turkic', jobId)).applied === last[0] && pending[0] === 0;
        },
        20_000,
        'the events to be handled',
      );
    const publisher = new EventPublisher(redis, { namespace });
    const report = (progress: number) =>
      jobProgress({ domain: 'turkic', job_id: jobId, user_id: USER, progress, message: 'reading the corpus' });

    await publisher.publish(jobStarted({ domain: 'turkic', job_id: jobId, user_id: USER, queue: 'turkic' }));
    await publisher.publish(report(30));
    await fake.waitFor(() => (message.embeds[0] as Embed).description === '▰▰▰▱▱▱▱▱▱▱ 30%\nreading the corpus', 20_000, 'the 30% edit');
    await settled();
    const shown = edits().length; // the started event and the report: one or two edits
    await publisher.publish(report(30)); // the same report again, only its time differs
    await publisher.publish(report(30.4)); // shown as 30% too
    await settled();
    expect(edits()).toHaveLength(shown);

    // A restarted bot (or another process) reads what the message shows from Redis.
    await bot.close();
    bot = await startTestBot(fake, namespace, env);
    await publisher.publish(report(30));
    await settled();
    expect(edits()).toHaveLength(shown);
    await publisher.publish(report(60));
    await fake.waitFor(() => (message.embeds[0] as Embed).description === '▰▰▰▰▰▰▱▱▱▱ 60%\nreading the corpus', 20_000, 'the 60% edit');
    await settled();
    expect(edits()).toHaveLength(shown + 1);
    expect(
      fake
        .find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`))
        .filter((post) => (post.body as { embeds: Embed[] }).embeds[0]?.footer.text === `turkic job ${jobId}`),
    ).toHaveLength(1);
  });
});
