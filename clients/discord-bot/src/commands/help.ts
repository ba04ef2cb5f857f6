import { OAuth2Scopes, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from './common.js';

export const help: BotCommand = {
  definition: new SlashCommandBuilder().setName('help').setDescription('What this bot can do').toJSON(),
  ephemeral: true,
  async execute({ i, env }) {
    const { enabled, disabled } = env.help();
    const lines = enabled.map((command) => `\`/${command.name}\` ${command.description}`);
    if (disabled.length > 0) {
      lines.push('', 'Off on this bot:', ...disabled.map((command) => `\`/${command.name}\`: ${command.reason}`));
    }
    await i.reply({ content: lines.join('\n') });
  },
};

/** Send messages, embed links and attach files: what job updates need. */
const PERMISSIONS =
  PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.ViewChannel;

export const invite: BotCommand = {
  definition: new SlashCommandBuilder().setName('invite').setDescription('Add this bot to a server').toJSON(),
  ephemeral: true,
  async execute({ i, env }) {
    const url = new URL('https://discord.com/oauth2/authorize');
    url.searchParams.set('client_id', env.config.discord.applicationId);
    url.searchParams.set('scope', [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '));
    url.searchParams.set('permissions', PERMISSIONS.toString());
    await i.reply({ content: url.toString() });
  },
};
