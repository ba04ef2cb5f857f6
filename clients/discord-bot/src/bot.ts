import { errorMessage, packageInfo, type Logger } from '@platform/core';
import { CommandRegistry, JobStore, JobUpdateConsumer, RedisRateLimiter } from '@platform/discord';
import { closeRedis, connectRedis, standaloneRedis, redisReadiness } from '@platform/workers';
import type { Client } from 'discord.js';
import { COMMANDS } from './commands/index.js';
import type { CommandEnv, Invocation } from './commands/common.js';
import type { Config } from './config.js';
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

export function createRegistry(config: Config, services: Services = createServices(config)): CommandRegistry<Invocation> {
  return new CommandRegistry(COMMANDS, (key) => (key in services ? undefined : offReason(SERVICE_OF[key as ServiceKey])));
}

/** Builds and starts the bot: Redis, the services, the event consumer and the configured transport. */
export async function startBot(config: Config, logger: Logger): Promise<Bot> {
  const { name } = packageInfo(import.meta.url);
  const redis = standaloneRedis(connectRedis(config.redis, 'command', { logger }), name);
  const blocking = standaloneRedis(connectRedis(config.redis, 'blocking', { logger }), name);
  const services = createServices(config);
  const registry = createRegistry(config, services);
  const client: Client | undefined =
    config.discord.transport === 'gateway' ? createGatewayClient(config.discord.apiBaseUrl, config.discord.globalRequestsPerS) : undefined;
  const api = client
    ? new DiscordApi(client.rest, config.discord.applicationId)
    : DiscordApi.create({
        apiBaseUrl: config.discord.apiBaseUrl,
        token: config.discord.token,
        applicationId: config.discord.applicationId,
        globalRequestsPerSecond: config.discord.globalRequestsPerS,
      });
  const prefix = config.keyPrefix;
  const store = new JobStore(redis, { prefix: `${prefix}job:` });
  const jobs = new JobMessages(api, store, resultFiles(services, config.maxAttachmentBytes), logger);
  const env: CommandEnv = {
    config,
    services,
    jobs,
    runs: new RunBook(redis, prefix),
    attachments: new AttachmentFetcher(config.discord.cdnOrigins, config.maxAttachmentBytes),
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
    domains: config.events.domains,
    group: config.events.group,
    consumer: config.events.consumer,
    namespace: config.events.namespace,
    deadLetterStream: `${config.events.namespace}${prefix}dead-letter`,
    logger,
    deliver: jobs.deliver,
    digest: jobs.digest,
    isPermanent: isPermanentDiscordError,
    maxAttempts: config.events.maxAttempts,
    retryBaseMs: config.events.retryMs,
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
    await client.login(config.discord.token);
    logger.info({ commands: registry.enabled.length }, 'discord bot connected to the gateway');
    return {
      registry,
      consumer,
      close: async () => {
        await client.destroy().catch((error: unknown) => {
          logger.warn({ err: errorMessage(error) }, 'gateway close failed');
        });
        await closeCommon();
      },
    };
  }
  const app = await buildInteractionsApp({ logger, publicKey: config.discord.publicKey, handle, readiness: [redisReadiness(redis)] });
  const url = await app.listen({ host: config.host, port: config.discord.httpPort });
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
