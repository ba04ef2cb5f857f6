import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { service, type BotCommand } from './common.js';

const Read = z.object({
  digit: z.number(),
  confidence: z.number(),
  top3: z.array(z.object({ digit: z.number(), probability: z.number() }).loose().or(z.array(z.number()))).optional(),
  probabilities: z.array(z.number()),
  uncertain: z.boolean().optional(),
  visual_png_b64: z.string().optional(),
});
const Queued = z.object({ job_id: z.string() });

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The three likeliest digits, from the probabilities (whatever shape `top3` has). */
function topThree(probabilities: number[]): string {
  return probabilities
    .map((probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 3)
    .map((entry) => `${entry.digit} ${percent(entry.probability)}`)
    .join(' · ');
}

export const digits: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('digits')
    .setDescription('Handwritten digits')
    .addSubcommand((s) =>
      s
        .setName('read')
        .setDescription('Read the digit in an image')
        .addAttachmentOption((o) => o.setName('image').setDescription('A photo or drawing of one digit').setRequired(true)),
    )
    .addSubcommand((s) =>
      s
        .setName('train')
        .setDescription('Train a new digit model (admins)')
        .addIntegerOption((o) => o.setName('epochs').setDescription("Epochs (default the service's)").setMinValue(1).setMaxValue(50))
        .addBooleanOption((o) => o.setName('activate').setDescription('Serve the new model when done')),
    )
    .toJSON(),
  requires: ['digits'],
  admin: ['train'],
  async execute({ i, env }) {
    if (i.subcommand === 'train') {
      const body: Record<string, unknown> = { user_id: i.userId };
      const epochs = i.number('epochs');
      if (epochs !== undefined) body['epochs'] = epochs;
      const activate = i.boolean('activate');
      if (activate !== undefined) body['activate'] = activate;
      const job = await service(env.services, 'digitsAdmin').json('/v1/models/train', Queued, {
        method: 'POST',
        json: body,
        headers: { 'idempotency-key': `discord-${i.raw.id}` },
      });
      const where = await env.jobs.track(i, 'digits', job.job_id, 'Digit model training');
      await i.reply({ content: `Training job \`${job.job_id}\` queued; updates ${where.dm ? 'in your DMs' : 'below'}.` });
      return;
    }
    const attachment = i.attachment('image');
    if (!attachment) {
      await i.reply({ content: 'Attach an image of one digit.', ephemeral: true });
      return;
    }
    const image = await env.attachments.download(attachment);
    const form = new FormData();
    form.set('image', new Blob([image.data], { type: image.contentType }), image.name);
    const read = await service(env.services, 'digits').json('/v1/read', Read, { method: 'POST', body: form, query: { visualize: 1 } });
    const lines = [
      `**${read.digit}** (confidence ${percent(read.confidence)}${read.uncertain === true ? ', uncertain' : ''})`,
      `Top 3: ${topThree(read.probabilities)}`,
    ];
    const files =
      read.visual_png_b64 === undefined
        ? []
        : [{ name: 'input-28x28.png', data: Buffer.from(read.visual_png_b64, 'base64'), contentType: 'image/png' }];
    await i.reply({ content: lines.join('\n'), ...(files.length > 0 ? { files } : {}) });
  },
};
