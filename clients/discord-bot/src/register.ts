// `npm run discord:register`: puts the enabled commands globally, or in each of DISCORD_GUILD_IDS
// (guild commands update at once; global ones can take up to an hour to reach every client).
import { createLogger, loadConfigOrExit } from '@platform/core';
import { createRegistry } from './bot.js';
import { loadBotConfig } from './config.js';
import { DiscordApi } from './discord/api.js';

const config = loadConfigOrExit(() => loadBotConfig());
const logger = createLogger({ service: 'discord-register', level: config.LOG_LEVEL });
const registry = createRegistry(config);
const api = DiscordApi.create({ apiBaseUrl: config.DISCORD_API_BASE_URL, token: config.DISCORD_TOKEN, applicationId: config.DISCORD_APPLICATION_ID });
const targets = config.DISCORD_GUILD_IDS.length > 0 ? config.DISCORD_GUILD_IDS : [undefined];
for (const guild of targets) {
  await api.registerCommands(registry.definitions(), guild);
  logger.info({ scope: guild === undefined ? 'global' : `guild ${guild}`, commands: registry.definitions().map((c) => c.name) }, 'commands registered');
}
for (const entry of registry.disabled) logger.info({ command: entry.name, reason: entry.reason }, 'not registered');
