// `npm run discord:register`: puts the enabled commands globally, or in each of DISCORD_GUILD_IDS
// (guild commands update at once; global ones can take up to an hour to reach every client).
import { createLogger, loadConfigOrExit, packageInfo } from '@platform/core';
import { createRegistry } from './bot.js';
import { readConfig } from './config.js';
import { DiscordApi } from './discord/api.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: `${packageInfo(import.meta.url).name}-register`, level: config.logLevel });
const registry = createRegistry(config);
const api = DiscordApi.create({
  apiBaseUrl: config.discord.apiBaseUrl,
  token: config.discord.token,
  applicationId: config.discord.applicationId,
});
const targets = config.discord.guildIds.length > 0 ? config.discord.guildIds : [undefined];
for (const guild of targets) {
  await api.registerCommands(registry.definitions(), guild);
  logger.info(
    { scope: guild === undefined ? 'global' : `guild ${guild}`, commands: registry.definitions().map((c) => c.name) },
    'commands registered',
  );
}
for (const entry of registry.disabled) logger.info({ command: entry.name, reason: entry.reason }, 'not registered');
