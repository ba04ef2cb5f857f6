import { createLogger, SERVICES } from '@platform/core';
import { uniqueName } from '@platform/testing';
import { startBot, type Bot } from '../../src/bot.js';
import { readConfig } from '../../src/config.js';
import type { FakeDiscord } from './fake-discord.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

/** A unique key prefix and events namespace per test file, so tests share one Redis without meeting. */
export function testNamespace(name: string): string {
  return `${uniqueName(name)}:`;
}

/** Every service off unless a test names its URL (they default to the local ports otherwise). */
export const SERVICES_OFF = Object.fromEntries(Object.values(SERVICES).map((service) => [service.urlVariable, 'off']));

/** The bot against the fake Discord, with the given extra environment. */
export async function startTestBot(fake: FakeDiscord, namespace: string, env: Record<string, string> = {}): Promise<Bot> {
  const config = readConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE_URL: fake.apiBase,
    DISCORD_CDN_ORIGINS: fake.origin,
    REDIS_URL,
    DISCORD_KEY_PREFIX: namespace,
    EVENTS_NAMESPACE: namespace,
    DISCORD_CONSUMER_NAME: 'test-consumer',
    DISCORD_EVENT_RETRY_MS: '50',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    ...SERVICES_OFF,
    ...env,
  });
  return startBot(config, createLogger({ service: 'discord-bot-test', level: config.logLevel }));
}
