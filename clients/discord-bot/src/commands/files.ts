import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { extensionFor, service, type BotCommand } from './common.js';

const Info = z
  .object({
    file_id: z.string(),
    size: z.number(),
    sha256: z.string().optional(),
    content_type: z.string(),
    created_at: z.string().optional(),
  })
  .loose();

export const files: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('files')
    .setDescription('data-bank files (admins)')
    .addSubcommand((s) =>
      s
        .setName('info')
        .setDescription('About a file')
        .addStringOption((o) => o.setName('id').setDescription('File id (sha256)').setRequired(true).setMinLength(64).setMaxLength(64)),
    )
    .addSubcommand((s) =>
      s
        .setName('get')
        .setDescription('Download a file')
        .addStringOption((o) => o.setName('id').setDescription('File id (sha256)').setRequired(true).setMinLength(64).setMaxLength(64)),
    )
    .toJSON(),
  requires: ['dataBank'],
  admin: true,
  ephemeral: true,
  async execute({ i, env }) {
    const dataBank = service(env.services, 'dataBank');
    const id = encodeURIComponent(i.requiredString('id'));
    const info = await dataBank.json(`/v1/files/${id}/info`, Info);
    if (i.subcommand === 'get') {
      if (info.size > env.config.maxAttachmentBytes) {
        await i.reply({ content: `The file is ${info.size.toLocaleString('en-US')} bytes, more than a Discord attachment may be.` });
        return;
      }
      const file = await dataBank.bytes(`/v1/files/${id}`);
      await i.reply({
        files: [
          { name: `${info.file_id.slice(0, 12)}.${extensionFor(info.content_type)}`, data: file.data, contentType: info.content_type },
        ],
      });
      return;
    }
    const lines = [`\`${info.file_id}\``, `${info.size.toLocaleString('en-US')} bytes, ${info.content_type}`];
    if (info.created_at !== undefined) lines.push(`stored ${info.created_at}`);
    await i.reply({ content: lines.join('\n') });
  },
};
