import { errorMessage, type Logger } from '@platform/core';
import { CommandRegistry, JobStore, JobUpdateConsumer, RedisRateLimiter } from '@platform/discord';
import { closeRedis, connectRedis, standaloneRedis, redisReadiness } from '@platform/workers';
import type { Client } from 'discord.js';
import { COMMANDS } from './commands/index.js';
import type { CommandEnv, Invocation } from './commands/common.js';
import type { BotConfig } from './config.js';
import { DiscordApi, isPermanentDiscordError } from './discord/api.js';
import { AttachmentFetcher } from './interactions/attachments.js';
import { dispatchInteraction } from './interactions/dispatch.js';
import { JobMessages } from './jobs/messages.js';
import { resultFiles } from './jobs/results.js';
import { RunBook } from './jobs/run-book.js';
import { createServices, offReason, SERVICE_OF, type ServiceKey, type Services } from './services/clients.js';
import { createGatewayClient, listenForInteractions } from './transports/gateway.js';
import { buildInteractionsApp, type InteractionHandler } from './transports/http.js';

export interface Bot {
  registry: CommandRegistry<Invocation>;
  consumer: JobUpdateConsumer;
  /** The HTTP transport's listening URL. */
  url?: string;
  close(): Promise<void>;
}

export function createRegistry(config: BotConfig, services: Services = createServices(config)): CommandRegistry<Invocation> {
  return new CommandRegistry(COMMANDS, (key) => (key in services ? undefined : offReason(SERVICE_OF[key as ServiceKey])));
}

/** Builds and starts the bot: Redis, the services, the event consumer and the configured transport. */
export async function startBot(config: BotConfig, logger: Logger): Promise<Bot> {
  const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), 'discord-bot');
  const blocking = standaloneRedis(connectRedis(config.redis, 'blocking', { logger }), 'discord-bot');
  const services = createServices(config);
  const registry = createRegistry(config, services);
  const client: Client | undefined = config.DISCORD_TRANSPORT === 'gateway' ? createGatewayClient(config.DISCORD_API_BASE_URL, config.DISCORD_GLOBAL_REQUESTS_PER_S) : undefined;
  const api = client
    ? new DiscordApi(client.rest, config.DISCORD_APPLICATION_ID)
    : DiscordApi.create({
        apiBaseUrl: config.DISCORD_API_BASE_URL,
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        globalRequestsPerSecond: config.DISCORD_GLOBAL_REQUESTS_PER_S,
      });
  const prefix = config.DISCORD_KEY_PREFIX;
  const store = new JobStore(redis, { prefix: `${prefix}job:` });
  const jobs = new JobMessages(api, store, resultFiles(services, config.DISCORD_MAX_ATTACHMENT_BYTES), logger);
  const env: CommandEnv = {
    config,
    services,
    jobs,
    runs: new RunBook(redis, prefix),
    attachments: new AttachmentFetcher(config.DISCORD_CDN_ORIGINS, config.DISCORD_MAX_ATTACHMENT_BYTES),
    help: () => ({
      enabled: registry.enabled.map((module) => ({ name: module.definition.name, description: module.definition.description })),
      disabled: registry.disabled,
    }),
  };
  const deps = { api, registry, limiter: new RedisRateLimiter(redis, `${prefix}ratelimit:`), env, logger };
  const handle: InteractionHandler = (interaction, initial) => dispatchInteraction(deps, interaction, initial);

  const consumer = new JobUpdateConsumer({
    redis,
    blocking,
    store,
    domains: config.DISCORD_EVENT_DOMAINS,
    group: config.DISCORD_CONSUMER_GROUP,
    consumer: config.DISCORD_CONSUMER_NAME,
    namespace: config.EVENTS_NAMESPACE,
    deadLetterStream: `${config.EVENTS_NAMESPACE}${prefix}dead-letter`,
    logger,
    deliver: jobs.deliver,
    digest: jobs.digest,
    isPermanent: isPermanentDiscordError,
    maxAttempts: config.DISCORD_EVENT_MAX_ATTEMPTS,
    retryBaseMs: config.DISCORD_EVENT_RETRY_MS,
  });
  await consumer.start();
  for (const entry of registry.disabled) logger.info({ command: entry.name, reason: entry.reason }, 'command off');

  const closeCommon = async () => {
    await consumer.close();
    await closeRedis(redis);
    await closeRedis(blocking);
  };
  if (client) {
    listenForInteractions(client, api, logger, handle);
    await client.login(config.DISCORD_TOKEN);
    logger.info({ commands: registry.enabled.length }, 'discord bot connected to the gateway');
    return {
      registry,
      consumer,
      close: async () => {
        await client.destroy().catch((error: unknown) => { logger.warn({ err: errorMessage(error) }, 'gateway close failed'); });
        await closeCommon();
      },
    };
  }
  const app = await buildInteractionsApp({ logger, publicKey: config.DISCORD_PUBLIC_KEY, handle, readiness: [redisReadiness(redis)] });
  const url = await app.listen({ host: config.HOST, port: config.DISCORD_HTTP_PORT });
  logger.info({ url: `${url}/interactions`, commands: registry.enabled.length }, 'discord interactions endpoint listening');
  return {
    registry,
    consumer,
    url,
    close: async () => {
      await app.close();
      await closeCommon();
    },
  };
}
