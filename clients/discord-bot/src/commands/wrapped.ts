import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { service, type BotCommand } from './common.js';

const Queued = z.object({ job_id: z.string() });
const Imported = z.object({ import_id: z.string(), service: z.string() });
const Started = z.object({ authorize_url: z.string(), state: z.string(), expires_in: z.number().optional() });
const Confirmed = z.object({ connected: z.union([z.string(), z.boolean()]), account: z.unknown().optional() });

const PROVIDERS = [
  { name: 'Spotify', value: 'spotify' },
  { name: 'Last.fm', value: 'lastfm' },
];

export const wrapped: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('wrapped')
    .setDescription('Your year in music')
    .addSubcommand((s) =>
      s
        .setName('year')
        .setDescription('Make the card for a year')
        .addIntegerOption((o) => o.setName('year').setDescription('The year').setRequired(true).setMinValue(2005).setMaxValue(2100))
        .addAttachmentOption((o) => o.setName('export').setDescription('A Spotify, YouTube (Takeout) or Apple Music export'))
        .addStringOption((o) =>
          o
            .setName('source')
            .setDescription('Or a connected account')
            .addChoices(...PROVIDERS, { name: 'Apple Music', value: 'apple_music' }),
        )
        .addStringOption((o) => o.setName('time_zone').setDescription('IANA time zone, e.g. Europe/Berlin (default UTC)').setMaxLength(64)),
    )
    .addSubcommand((s) =>
      s
        .setName('connect')
        .setDescription('Connect Spotify or Last.fm')
        .addStringOption((o) =>
          o
            .setName('provider')
            .setDescription('Service')
            .setRequired(true)
            .addChoices(...PROVIDERS),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('confirm')
        .setDescription('Finish connecting with the code the sign-in page showed')
        .addStringOption((o) =>
          o
            .setName('provider')
            .setDescription('Service')
            .setRequired(true)
            .addChoices(...PROVIDERS),
        )
        .addStringOption((o) => o.setName('state').setDescription('state').setRequired(true).setMaxLength(200))
        .addStringOption((o) => o.setName('confirmation').setDescription('confirmation').setRequired(true).setMaxLength(200)),
    )
    .toJSON(),
  requires: ['music'],
  ephemeral: true,
  async execute({ i, env }) {
    const music = service(env.services, 'music');
    const user = { 'x-user-id': i.userId };
    if (i.subcommand === 'connect') {
      const provider = i.requiredString('provider');
      const start = await music.json(`/v1/auth/${provider}/start`, Started, { method: 'POST', headers: user, json: {} });
      await i.reply({
        content: `Sign in here: ${start.authorize_url}\nThe page then shows a \`state\` and a \`confirmation\`: send them with \`/wrapped confirm\`.`,
      });
      return;
    }
    if (i.subcommand === 'confirm') {
      const provider = i.requiredString('provider');
      await music.json(`/v1/auth/${provider}/confirm`, Confirmed, {
        method: 'POST',
        headers: user,
        json: { state: i.requiredString('state'), confirmation: i.requiredString('confirmation') },
      });
      await i.reply({ content: `Connected ${provider}. \`/wrapped year source:${provider}\` makes your card.` });
      return;
    }
    const upload = i.attachment('export');
    const sources: Record<string, unknown>[] = [];
    if (upload) {
      const file = await env.attachments.download(upload);
      const form = new FormData();
      form.set('file', new Blob([file.data], { type: file.contentType }), file.name);
      const imported = await music.json('/v1/imports', Imported, { method: 'POST', headers: user, body: form });
      sources.push({ service: imported.service, import_id: imported.import_id });
    }
    const live = i.string('source');
    if (live !== undefined) sources.push({ service: live, live: true });
    if (sources.length === 0) {
      await i.reply({ content: 'Attach an `export` or pick a connected `source` (`/wrapped connect` first).' });
      return;
    }
    const body = { year: i.number('year'), time_zone: i.string('time_zone') ?? 'UTC', sources };
    const job = await music.json('/v1/wrapped', Queued, {
      method: 'POST',
      headers: { ...user, 'idempotency-key': `discord-${i.raw.id}` },
      json: body,
    });
    await env.jobs.track(i, 'music_wrapped', job.job_id, `Wrapped ${String(body.year)}`);
    await i.reply({ content: `Making your ${String(body.year)} card; it arrives in your DMs.` });
  },
};
