import { createLogger, installGracefulShutdown, loadConfigOrExit } from '@platform/core';
import { startBot } from './bot.js';
import { loadBotConfig } from './config.js';

const config = loadConfigOrExit(() => loadBotConfig());
const logger = createLogger({ service: 'discord-bot', level: config.LOG_LEVEL });
const bot = await startBot(config, logger);
installGracefulShutdown({ logger, steps: [() => bot.close()] });
