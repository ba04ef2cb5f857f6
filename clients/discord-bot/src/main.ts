import { createLogger, installGracefulShutdown, loadConfigOrExit, packageInfo } from '@platform/core';
import { startBot } from './bot.js';
import { readConfig } from './config.js';

const config = loadConfigOrExit(() => readConfig());
const logger = createLogger({ service: packageInfo(import.meta.url).name, level: config.logLevel });
const bot = await startBot(config, logger);
installGracefulShutdown({ logger, steps: [() => bot.close()] });
