import { errorMessage, type Logger } from '@platform/core';
import type { CommandRegistry, RedisRateLimiter } from '@platform/discord';
import { InteractionType, type APIInteraction } from 'discord.js';
import type { Invocation, CommandEnv } from '../commands/common.js';
import type { DiscordApi } from '../discord/api.js';
import { UserFacingError } from '../services/clients.js';
import { InteractionContext, type CommandInteraction, type InitialResponder } from './context.js';

export interface DispatchDeps {
  api: DiscordApi;
  registry: CommandRegistry<Invocation>;
  limiter: RedisRateLimiter;
  env: CommandEnv;
  logger: Logger;
  /** Discord drops an interaction not answered within 3 s: past this, the answer is deferred. */
  deferAfterMs?: number;
}

function isAdmin(env: CommandEnv, i: InteractionContext): boolean {
  return env.config.admins.userIds.includes(i.userId) || i.roles.some((role) => env.config.admins.roleIds.includes(role));
}

/** Runs the command; every path ends in an answer (a failure's message, never "thinking…" forever). */
async function runCommand(deps: DispatchDeps, i: InteractionContext): Promise<void> {
  const { registry, limiter, env, logger } = deps;
  const module = registry.get(i.command);
  if (!module) {
    await i.reply({ content: 'This command is not available on this bot. `/help` lists the commands.', ephemeral: true });
    return;
  }
  i.ephemeral = module.ephemeral === true;
  if (registry.isAdminOnly(i.command, i.subcommand) && !isAdmin(env, i)) {
    await i.reply({ content: "Only the bot's admins may use this.", ephemeral: true });
    return;
  }
  const rule = module.rateLimit ?? env.config.rateLimit;
  const verdict = await limiter.hit(i.command, i.userId, rule).catch((error: unknown) => {
    // Redis away: the command still runs (the services it calls have their own limits).
    logger.warn({ command: i.command, err: errorMessage(error) }, 'rate limit not checked');
    return { allowed: true, retryAfterS: 0 };
  });
  if (!verdict.allowed) {
    await i.reply({ content: `You are using /${i.command} too often; try again in ${verdict.retryAfterS} s.`, ephemeral: true });
    return;
  }
  const timer = setTimeout(() => {
    i.defer().catch((error: unknown) => {
      logger.warn({ command: i.command, err: errorMessage(error) }, 'defer failed');
    });
  }, deps.deferAfterMs ?? 2_000);
  try {
    await module.execute({ i, env });
    if (!i.responded) await i.reply({ content: 'Done.' });
  } catch (error) {
    const known = error instanceof UserFacingError;
    if (!known) logger.error({ command: i.command, err: error }, 'command failed');
    const text = known ? error.message : "Something went wrong on the bot's side; it has been logged.";
    await i.reply({ content: `❌ ${text}`, ephemeral: true }).catch((replyError: unknown) => {
      logger.error({ command: i.command, err: errorMessage(replyError) }, 'could not send the failure message');
    });
  } finally {
    clearTimeout(timer);
  }
}

async function runAutocomplete(deps: DispatchDeps, i: InteractionContext): Promise<void> {
  const module = deps.registry.get(i.command);
  const choices = await (module?.autocomplete?.({ i, env: deps.env }) ?? Promise.resolve([])).catch((error: unknown) => {
    deps.logger.warn({ command: i.command, err: errorMessage(error) }, 'autocomplete failed');
    return [];
  });
  await i.choices(choices.slice(0, 25));
}

/**
 * Handles one interaction from either transport. `initial` sends the first answer (for autocomplete
 * the gateway posts it; over HTTP it is the request's answer).
 */
export async function dispatchInteraction(deps: DispatchDeps, raw: APIInteraction, initial: InitialResponder): Promise<void> {
  if (raw.type !== InteractionType.ApplicationCommand && raw.type !== InteractionType.ApplicationCommandAutocomplete) return;
  const i = new InteractionContext(raw as CommandInteraction, deps.api, initial);
  if (raw.type === InteractionType.ApplicationCommandAutocomplete) await runAutocomplete(deps, i);
  else await runCommand(deps, i);
}
