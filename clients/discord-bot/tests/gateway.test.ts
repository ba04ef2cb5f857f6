import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type RecordedRequest } from './helpers/fake-discord.js';
import { startService, type ServiceProcess } from './helpers/processes.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('gateway transport against the real qr-api', () => {
  let fake: FakeDiscord;
  let qr: ServiceProcess;
  let bot: Bot | undefined;

  beforeAll(async () => {
    [fake, qr] = await Promise.all([FakeDiscord.start(), startService('qr-api', { RATE_LIMIT_MAX: '0' })]);
    bot = await startTestBot(fake, testNamespace('gateway'), { QR_API_URL: qr.url, DISCORD_RATE_LIMIT_MAX: '5' });
  });
  afterAll(async () => {
    await bot?.close();
    await Promise.all([fake.close(), qr.stop()]);
  });

  const callbackOf = async (interaction: { id: string; token: string }): Promise<RecordedRequest> =>
    fake.waitForRequest('POST', new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`));

  it('identified with the bot token over the gateway URL from /gateway/bot', () => {
    expect(fake.identified).toBe(1);
    expect(fake.find('GET', /^\/gateway\/bot$/)).toHaveLength(1);
  });

  it('/qr url answers with the PNG as an attachment', async () => {
    const interaction = fake.interaction({
      name: 'qr',
      options: [
        {
          type: 1,
          name: 'url',
          options: [
            { type: 3, name: 'url', value: 'example.com/menu' },
            { type: 3, name: 'ecc', value: 'H' },
          ],
        },
      ],
    });
    fake.dispatchInteraction(interaction);
    const callback = await callbackOf(interaction);
    expect(callback.authorization).toBeUndefined();
    expect(callback.body).toEqual({
      type: 4,
      data: { allowed_mentions: { parse: [] }, attachments: [{ id: 0, filename: 'qr.png' }] },
    });
    expect(callback.files).toHaveLength(1);
    expect(callback.files[0]?.field).toBe('files[0]');
    expect(callback.files[0]?.data.subarray(0, 4)).toEqual(PNG);
  });

  it("a service's error envelope becomes the answer, shown only to the user", async () => {
    const interaction = fake.interaction({
      name: 'qr',
      options: [
        {
          type: 1,
          name: 'geo',
          options: [
            { type: 10, name: 'lat', value: 10 },
            { type: 10, name: 'lon', value: 10 },
            { type: 3, name: 'dark', value: '#EEEEEE' },
          ],
        },
      ],
    });
    fake.dispatchInteraction(interaction);
    const callback = await callbackOf(interaction);
    const data = callback.body as { type: number; data: { content: string; flags: number } };
    expect(data.type).toBe(4);
    expect(data.data.flags).toBe(64);
    expect(data.data.content).toMatch(/^❌ qr-api: .*contrast/i);
  });

  it('/help lists what is on and says what is off and why', async () => {
    const interaction = fake.interaction({ name: 'help' });
    fake.dispatchInteraction(interaction);
    const callback = await callbackOf(interaction);
    const data = (callback.body as { data: { content: string; flags: number } }).data;
    expect(data.flags).toBe(64);
    expect(data.content).toContain('`/qr` Make a QR code');
    expect(data.content).toContain('`/turkic`: TURKIC_API_URL=off');
    expect(data.content).toContain('`/train`: MODEL_TRAINER_URL=off');
    expect(bot?.registry.get('turkic')).toBeUndefined();
  });

  it('refuses a command past the per-user rate limit, shared through Redis', async () => {
    const userId = '444444444444444444';
    const answers: string[] = [];
    for (let n = 0; n < 6; n++) {
      const interaction = fake.interaction({ name: 'invite', userId });
      fake.dispatchInteraction(interaction);
      answers.push(((await callbackOf(interaction)).body as { data: { content: string } }).data.content);
    }
    expect(answers.slice(0, 5).every((answer) => answer.startsWith('https://discord.com/oauth2/authorize?client_id='))).toBe(true);
    expect(answers[5]).toMatch(/too often; try again in \d+ s/);
  });

  it("a Discord 429 is waited out by @discordjs/rest's queue and the answer still arrives", async () => {
    const interaction = fake.interaction({ name: 'help', userId: '444444444444444445' });
    fake.fail('POST', new RegExp(`^/interactions/${interaction.id}/`), 429, 1);
    fake.dispatchInteraction(interaction);
    const callbacks = () => fake.find('POST', new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`));
    await fake.waitFor(() => callbacks().length === 2, 10_000, 'the retried callback');
    const [limited, answered] = callbacks();
    expect((answered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(150); // retry_after 0.2 s
    expect((answered?.body as { data: { content: string } }).data.content).toContain('`/qr` Make a QR code');
  });
});
