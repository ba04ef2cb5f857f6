import { errorMessage, type Logger } from '@platform/core';
import { Client, GatewayDispatchEvents, type APIInteraction } from 'discord.js';
import { restOptions, type DiscordApi } from '../discord/api.js';
import type { InteractionHandler } from './http.js';

/**
 * The gateway transport: a discord.js client with no intents (interactions need none). The gateway URL
 * comes from `{DISCORD_API_BASE_URL}/gateway/bot`, so one fake server stands in for both in tests.
 * Raw INTERACTION_CREATE payloads go to the same handler as the HTTP transport; answers are callbacks.
 */
export function createGatewayClient(apiBaseUrl: string, globalRequestsPerSecond: number): Client {
  return new Client({ intents: [], rest: restOptions(apiBaseUrl, globalRequestsPerSecond) });
}

export function listenForInteractions(client: Client, api: DiscordApi, logger: Logger, handle: InteractionHandler): void {
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
    void handle(interaction, (response, files) => api.callback(interaction.id, interaction.token, response, files)).catch(
      (error: unknown) => {
        logger.error({ err: errorMessage(error), interaction: interaction.id }, 'interaction failed');
      },
    );
  });
}
