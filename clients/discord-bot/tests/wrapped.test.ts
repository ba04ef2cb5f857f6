import { deleteKeys } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type Message } from './helpers/fake-discord.js';
import { startService, startWorkerProcess, type ServiceProcess } from './helpers/processes.js';

const USER = '121212121212121212';

/** A Spotify extended streaming history with 40 plays in 2023. */
const spotifyExport = () =>
  JSON.stringify(
    Array.from({ length: 40 }, (_, i) => ({
      ts: `2023-03-${String((i % 27) + 1).padStart(2, '0')}T20:00:00Z`,
      ms_played: 200_000,
      master_metadata_track_name: `Song ${i % 7}`,
      master_metadata_album_artist_name: i % 2 === 0 ? 'Björk' : 'Sigur Rós',
    })),
  );

describe('/wrapped: a personal job, answered ephemerally, with the card in DMs (real music-wrapped-api)', () => {
  let fake: FakeDiscord;
  let dataBank: DataBankProcess;
  let music: ServiceProcess;
  let worker: { stop(): Promise<void> };
  let scratch: string;
  let bot: Bot | undefined;
  // The service's keys, queue and events under this file's namespace: nothing else (another test's worker, a
  // test that empties its own database) can take the job or its events.
  const namespace = testNamespace('wrapped');

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bot-music-'));
    [fake, dataBank] = await Promise.all([FakeDiscord.start(), startDataBankProcess()]);
    const env = {
      REDIS_URL,
      MUSIC_KEY_PREFIX: `${namespace}music`,
      MUSIC_QUEUE_PREFIX: `${namespace}bull`,
      MUSIC_EVENTS_NAMESPACE: namespace,
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      MUSIC_API_KEYS: 'music-key',
      MUSIC_TMP_DIR: scratch,
    };
    music = await startService('music-wrapped-api', env);
    worker = startWorkerProcess('music-wrapped-api', env);
    bot = await startTestBot(fake, namespace, {
      MUSIC_WRAPPED_API_URL: music.url,
      MUSIC_API_KEY: 'music-key',
      DISCORD_EVENT_DOMAINS: 'music_wrapped',
    });
  });
  afterAll(async () => {
    await bot?.close();
    await Promise.all([fake.close(), worker.stop(), music.stop(), dataBank.stop()]);
    await rm(scratch, { recursive: true, force: true });
    const redis = createRedis(REDIS_URL, 'command');
    await deleteKeys(redis, `${namespace}*`);
    await closeRedis(redis);
  });

  it('imports the attached export, answers only the user, and edits the DM message to the card', async () => {
    const upload = fake.attachment('Streaming_History_Audio_2023.json', Buffer.from(spotifyExport()), 'application/json');
    const interaction = fake.interaction({
      name: 'wrapped',
      userId: USER,
      options: [
        {
          type: 1,
          name: 'year',
          options: [
            { type: 4, name: 'year', value: 2023 },
            { type: 11, name: 'export', value: upload.id },
          ],
        },
      ],
      attachments: { [upload.id]: upload },
    });
    fake.dispatchInteraction(interaction);
    // Deferred (ephemerally) when importing the export took over 2 s, as on a busy machine.
    const { answer } = await fake.answerTo(interaction);
    expect(answer).toMatchObject({ content: 'Making your 2023 card; it arrives in your DMs.', flags: 64 });
    const dm = fake.dmChannelOf(USER) ?? '';
    expect(fake.find('POST', /^\/users\/@me\/channels$/).at(-1)?.body).toEqual({ recipient_id: USER });
    expect(fake.find('POST', new RegExp(`^/channels/${dm}/messages$`))).toHaveLength(1);
    const message = [...fake.messages.values()].find((m) => m.channel_id === dm) as Message;
    await fake.waitFor(() => (message.embeds[0] as { title: string }).title === 'Wrapped 2023 · Done', 60_000, 'the finished card');
    const final = fake.find('PATCH', new RegExp(`^/channels/${dm}/messages/${message.id}$`)).at(-1);
    expect(final?.files.map((file) => [file.name, file.contentType])).toEqual([['wrapped.png', 'image/png']]);
    expect(final?.files[0]?.data.subarray(1, 4).toString()).toBe('PNG');
    expect((final?.body as { embeds: { image?: { url: string } }[] }).embeds[0]?.image).toEqual({ url: 'attachment://wrapped.png' });
  });
});
