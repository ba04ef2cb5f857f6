import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { service, textOrFile, type BotCommand } from './common.js';

const Decoded = z.object({ results: z.array(z.object({ text: z.string() })) });

export const qrdecode: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('qrdecode')
    .setDescription('Read the QR codes in an image')
    .addAttachmentOption((o) => o.setName('image').setDescription('A photo or screenshot (PNG, JPEG, WebP)').setRequired(true))
    .toJSON(),
  requires: ['qr'],
  async execute({ i, env }) {
    const attachment = i.attachment('image');
    if (!attachment) {
      await i.reply({ content: 'Attach an image to read.', ephemeral: true });
      return;
    }
    const image = await env.attachments.download(attachment);
    const decoded = await service(env.services, 'qr').json('/v1/qr/decode', Decoded, {
      method: 'POST',
      body: image.data,
      headers: { 'content-type': image.contentType.split(';')[0] ?? 'application/octet-stream' },
    });
    const lines = decoded.results.map((result, index) => `${decoded.results.length > 1 ? `${index + 1}. ` : ''}${result.text}`);
    const intro = decoded.results.length === 1 ? '' : `${decoded.results.length} codes:\n`;
    await i.reply(textOrFile(lines.join('\n'), 'qr-codes.txt', intro));
  },
};
