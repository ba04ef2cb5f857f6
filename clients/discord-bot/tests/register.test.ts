import { spawnSource } from '@platform/testing';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { SERVICES_OFF } from './helpers/bot.js';
import { FakeDiscord } from './helpers/fake-discord.js';

const BOT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** `npm run register` as a process: src/register.ts against the fake Discord. */
async function register(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const registering = spawnSource('src/register.ts', { cwd: BOT_DIR, env: { ...SERVICES_OFF, DISCORD_GUILD_IDS: '', ...env } });
  const [code] = (await once(registering.child, 'exit')) as [number | null];
  return { code, output: registering.output() };
}

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('puts the enabled commands in each guild, leaving off those whose service is not configured', async () => {
    const guilds = ['111111111111111110', '111111111111111120'];
    const result = await register({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_BASE_URL: fake.apiBase,
      DISCORD_GUILD_IDS: guilds.join(','),
      QR_API_URL: 'http://127.0.0.1:8002',
    });
    expect(result.code, result.output).toBe(0);
    for (const guild of guilds) {
      const put = fake.find('PUT', new RegExp(`^/applications/${fake.applicationId}/guilds/${guild}/commands$`));
      expect(put).toHaveLength(1);
      expect(put[0]?.authorization).toBe(`Bot ${fake.token}`);
      const commands = put[0]?.body as { name: string; options?: { name: string; type: number }[] }[];
      expect(commands.map((command) => command.name)).toEqual(['qr', 'qrdecode', 'help', 'invite']);
      const qr = commands[0];
      expect(qr?.options?.map((option) => option.name)).toEqual(['url', 'text', 'wifi', 'email', 'phone', 'sms', 'geo', 'vcard']);
    }
    expect(fake.find('PUT', /^\/applications\/\d+\/commands$/)).toHaveLength(0);
  });

  it('registers globally without DISCORD_GUILD_IDS', async () => {
    const result = await register({
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_BASE_URL: fake.apiBase,
    });
    expect(result.code, result.output).toBe(0);
    expect(fake.find('PUT', new RegExp(`^/applications/${fake.applicationId}/commands$`))).toHaveLength(1);
  });

  it("reads the environment into the platform's config shape (camelCase, grouped)", () => {
    const config = readConfig({
      DISCORD_TOKEN: 'token',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_ADMIN_ROLE_IDS: '223456789012345678',
      DISCORD_RATE_LIMIT_MAX: '3',
      DISCORD_EVENT_DOMAINS: 'trainer,qr',
      TURKIC_API_URL: 'off',
      MODEL_TRAINER_URL: 'http://127.0.0.1:9005',
      TRAINER_API_KEY: 'trainer-key',
      HANDWRITING_READ_KEY: 'read-key',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      logLevel: 'info',
      discord: {
        token: 'token',
        applicationId: '123456789012345678',
        transport: 'gateway',
        httpPort: 8090,
        globalRequestsPerS: 50,
        guildIds: [],
        apiBaseUrl: 'https://discord.com/api',
      },
      admins: { roleIds: ['223456789012345678'], userIds: [] },
      rateLimit: { max: 3, windowS: 60 },
      events: { domains: ['trainer', 'qr'], namespace: '', group: 'discord-bot', maxAttempts: 8, retryMs: 1000 },
      keyPrefix: 'discord:',
      serviceUrls: { 'turkic-api': 'off', 'model-trainer': 'http://127.0.0.1:9005', 'qr-api': undefined },
      apiKeys: { trainer: 'trainer-key', digits: 'read-key', digitsAdmin: '' },
      maxAttachmentBytes: 25 * 1024 * 1024,
    });
  });

  it('a bad configuration stops with one message naming every problem', () => {
    expect(() => readConfig({ DISCORD_TRANSPORT: 'http', DISCORD_APPLICATION_ID: '12', DISCORD_ADMIN_USER_IDS: 'bob' })).toThrow(
      /DISCORD_TOKEN[\s\S]*DISCORD_APPLICATION_ID[\s\S]*DISCORD_ADMIN_USER_IDS[\s\S]*DISCORD_PUBLIC_KEY/,
    );
  });
});
