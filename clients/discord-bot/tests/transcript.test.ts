import { deleteKeys } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { fakeStt, fakeYouTube, type FakeStt, type FakeYouTube } from 'transcript-api/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type Message } from './helpers/fake-discord.js';
import { startService, startWorkerProcess, type ServiceProcess } from './helpers/processes.js';

// YouTube and the OpenAI-compatible STT endpoint are transcript-api's own fakes (they speak those APIs'
// recorded formats); its audio helper is loaded by URL so this package does not compile its tests.
const audioHelper = new URL('../../../services/transcript-api/tests/helpers/audio.ts', import.meta.url).href;
const { pulsedTone } = (await import(audioHelper)) as {
  pulsedTone: (dir: string, name: string, durationS: number, onS: number, offS: number) => Promise<string>;
};

const SHORT = 'aaaaaaaaaa1';
const LONG = 'bbbbbbbbbb2';

/** A json3 timed-text track: one event per line. */
const json3 = (lines: string[]) =>
  JSON.stringify({ events: lines.map((line, index) => ({ tStartMs: index * 2000, dDurationMs: 2000, segs: [{ utf8: line }] })) });

describe('/transcript against the real transcript-api (fake YouTube and STT endpoints)', () => {
  // The service's queue and events under this file's namespace, as the bot's keys.
  const namespace = testNamespace('transcript');
  let fake: FakeDiscord;
  let youtube: FakeYouTube;
  let stt: FakeStt;
  let dataBank: DataBankProcess;
  let transcript: ServiceProcess;
  let worker: { stop(): Promise<void> };
  let dir: string;
  let bot: Bot | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bot-transcript-'));
    [fake, dataBank, youtube, stt] = await Promise.all([
      FakeDiscord.start(),
      startDataBankProcess(),
      fakeYouTube({
        [SHORT]: {
          title: 'Short',
          lengthSeconds: 6,
          tracks: [{ language: 'en', name: 'English', body: json3(['hello there', 'general kenobi']) }],
        },
        [LONG]: {
          title: 'Long',
          lengthSeconds: 600,
          tracks: [
            { language: 'en', name: 'English', body: json3(Array.from({ length: 300 }, (_, n) => `this is caption line number ${n}`)) },
          ],
        },
      }),
      fakeStt(),
    ]);
    const env = {
      REDIS_URL,
      TRANSCRIPT_QUEUE_PREFIX: `${namespace}bull`,
      TRANSCRIPT_EVENTS_NAMESPACE: namespace,
      TRANSCRIPT_API_KEYS: 'transcript-key',
      YOUTUBE_BASE_URL: youtube.url,
      STT_BASE_URL: `${stt.url}/v1`,
      STT_API_KEY: 'sk-test',
      STT_RETRY_BASE_MS: '10',
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      TRANSCRIPT_TMP_DIR: join(dir, 'work'),
    };
    transcript = await startService('transcript-api', env);
    worker = startWorkerProcess('transcript-api', env);
    bot = await startTestBot(fake, namespace, {
      TRANSCRIPT_API_URL: transcript.url,
      TRANSCRIPT_API_KEY: 'transcript-key',
      DISCORD_EVENT_DOMAINS: 'transcript',
    });
  });
  afterAll(async () => {
    await bot?.close();
    await Promise.all([fake.close(), worker.stop(), transcript.stop(), dataBank.stop(), youtube.close(), stt.close()]);
    await rm(dir, { recursive: true, force: true });
    const redis = createRedis(REDIS_URL, 'command');
    await deleteKeys(redis, `${namespace}*`);
    await closeRedis(redis);
  });

  /** What the user finally sees (see FakeDiscord.answerTo). */
  const ask = (options: object[], attachments?: Record<string, object>) => {
    const interaction = fake.interaction({ name: 'transcript', options, ...(attachments ? { attachments } : {}) });
    fake.dispatchInteraction(interaction);
    return fake.answerTo(interaction);
  };

  it('answers short captions inline, long ones as transcript.txt, and subtitles as a file', async () => {
    const short = await ask([{ type: 3, name: 'url', value: `https://youtu.be/${SHORT}` }]);
    expect(short.answer?.content).toBe('hello there general kenobi');

    const long = await ask([{ type: 3, name: 'url', value: `https://www.youtube.com/watch?v=${LONG}` }]);
    expect(long.answer?.content).toMatch(/^The text is [\d,]+ characters, so it is attached as `transcript.txt`\.$/);
    expect(long.files[0]?.name).toBe('transcript.txt');
    expect(long.files[0]?.data.toString()).toContain('this is caption line number 299');

    const srt = await ask([
      { type: 3, name: 'url', value: `https://youtu.be/${SHORT}` },
      { type: 3, name: 'format', value: 'srt' },
    ]);
    expect(srt.files[0]?.name).toBe('transcript.srt');
    expect(srt.files[0]?.data.toString()).toMatch(/^1\r?\n00:00:00,000 --> 00:00:02,000\r?\nhello there/);
  });

  it('an unknown video ends in the service message', async () => {
    const { answer } = await ask([{ type: 3, name: 'url', value: 'https://youtu.be/cccccccccc3' }]);
    expect(answer).toMatchObject({ flags: 64, content: expect.stringMatching(/^❌ transcript-api: /) as unknown });
  });

  it('an audio attachment becomes a speech-to-text job whose message ends with the SRT', async () => {
    const audio = fake.attachment('talk.mp3', await readFile(await pulsedTone(dir, 'talk.mp3', 12, 4, 1)), 'audio/mpeg');
    const { answer } = await ask([{ type: 11, name: 'audio', value: audio.id }], { [audio.id]: audio });
    const jobId = /^Transcription job `([^`]+)` queued; updates below\.$/.exec(answer?.content ?? '')?.[1];
    expect(jobId).toBeDefined();
    // Posted as queued, or as running when the worker's started event came first.
    const message = [...fake.messages.values()].find(
      (m) => (m.embeds[0] as { footer?: { text: string } } | undefined)?.footer?.text === `transcript job ${jobId ?? ''}`,
    ) as Message;
    await fake.waitFor(
      () => /^Transcription · (Done|Failed)$/.test((message.embeds[0] as { title: string }).title),
      60_000,
      'the finished transcription',
    );
    expect((message.embeds[0] as { title: string; description: string }).title).toBe('Transcription · Done');
    const final = fake.find('PATCH', new RegExp(`/messages/${message.id}$`)).at(-1);
    expect(final?.files.map((file) => file.name)).toEqual(['transcript.srt']);
    expect(final?.files[0]?.data.toString()).toMatch(/-->/);
  });
});
