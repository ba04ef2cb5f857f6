import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { formatMetric } from '@platform/discord';
import { UserFacingError } from '../services/clients.js';
import { service, type BotCommand, type Invocation } from './common.js';

// model-trainer's API (its README): POST /v1/runs → {run_id, job_id, status}; GET /v1/runs/{id}.
const Started = z.object({ run_id: z.string(), job_id: z.string(), status: z.string() });
const Run = z.object({
  run_id: z.string(),
  status: z.string(),
  progress: z.number().optional(),
  family: z.string().optional(),
  size: z.string().optional(),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  error: z.object({ message: z.string() }).nullable().optional(),
});
const Uploaded = z.object({ file_id: z.string() });

const SIZES = ['tiny', 'mini', 'small', 'medium', 'large', 'xl'];

/** The user's runs for autocompletion (runs started from Discord, newest first). */
export async function runChoices({ i, env }: Invocation) {
  const typed = i.string(i.focused ?? '') ?? '';
  const runs = await env.runs.list(i.userId);
  return runs.filter((run) => run.startsWith(typed)).map((run) => ({ name: run, value: run }));
}

function describeRun(run: z.infer<typeof Run>): string {
  const metrics = Object.entries(run.metrics ?? {})
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .map(([key, value]) => `${key} ${formatMetric(key, value)}`)
    .join(', ');
  const shape = [run.family, run.size].filter(Boolean).join(' ');
  const progress = run.progress === undefined ? '' : ` ${Math.round(run.progress)}%`;
  return `\`${run.run_id}\` ${shape} **${run.status}**${progress}${metrics ? ` (${metrics})` : ''}${run.error ? `: ${run.error.message}` : ''}`;
}

export const train: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('train')
    .setDescription('Train a language model on a corpus')
    .addStringOption((o) =>
      o
        .setName('family')
        .setDescription('Model family')
        .setRequired(true)
        .addChoices({ name: 'GPT-2', value: 'gpt2' }, { name: 'Char-LSTM', value: 'char_lstm' }),
    )
    .addStringOption((o) =>
      o
        .setName('size')
        .setDescription('Model size')
        .setRequired(true)
        .addChoices(...SIZES.map((size) => ({ name: size, value: size }))),
    )
    .addStringOption((o) =>
      o.setName('corpus_file_id').setDescription('A data-bank file id (e.g. a /turkic corpus result)').setMaxLength(64),
    )
    .addAttachmentOption((o) => o.setName('corpus').setDescription('Or a text file to train on'))
    .addIntegerOption((o) =>
      o.setName('budget_s').setDescription('Time budget in seconds (default 600)').setMinValue(10).setMaxValue(86_400),
    )
    .toJSON(),
  requires: ['trainer'],
  rateLimit: { max: 3, windowS: 3600 },
  async execute({ i, env }) {
    const attachment = i.attachment('corpus');
    let corpus = i.string('corpus_file_id');
    if (attachment) {
      const file = await env.attachments.download(attachment);
      const form = new FormData();
      form.set('file', new Blob([file.data], { type: file.contentType }), file.name);
      corpus = (await service(env.services, 'dataBank').json('/v1/files', Uploaded, { method: 'POST', body: form })).file_id;
    }
    if (corpus === undefined) throw new UserFacingError('Give a `corpus_file_id` or attach a `corpus` file.');
    const family = i.requiredString('family');
    const size = i.requiredString('size');
    const body = { user_id: i.userId, family, size, corpus_file_id: corpus, time_budget_s: i.number('budget_s') ?? 600 };
    const run = await service(env.services, 'trainer').json('/v1/runs', Started, { method: 'POST', json: body });
    await env.runs.add(i.userId, run.run_id);
    const where = await env.jobs.track(i, 'trainer', run.job_id, `Training ${family} ${size}`);
    await i.reply({ content: `Run \`${run.run_id}\` queued; updates ${where.dm ? 'in your DMs' : 'below'}.` });
  },
};

export const runs: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('runs')
    .setDescription('Your training runs')
    .addSubcommand((s) => s.setName('list').setDescription('Runs you started'))
    .addSubcommand((s) =>
      s
        .setName('status')
        .setDescription('One run')
        .addStringOption((o) => o.setName('run').setDescription('Run id').setRequired(true).setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s
        .setName('cancel')
        .setDescription('Stop a run (its last checkpoint is kept)')
        .addStringOption((o) => o.setName('run').setDescription('Run id').setRequired(true).setAutocomplete(true)),
    )
    .toJSON(),
  requires: ['trainer'],
  ephemeral: true,
  autocomplete: runChoices,
  async execute({ i, env }) {
    const trainer = service(env.services, 'trainer');
    if (i.subcommand === 'list') {
      const ids = (await env.runs.list(i.userId)).slice(0, 10);
      if (ids.length === 0) {
        await i.reply({ content: 'You have not started any runs; `/train` starts one.' });
        return;
      }
      const found = await Promise.all(
        ids.map((id) => trainer.json(`/v1/runs/${encodeURIComponent(id)}`, Run).then(describeRun, () => `\`${id}\` (not found)`)),
      );
      await i.reply({ content: found.join('\n') });
      return;
    }
    const id = encodeURIComponent(i.requiredString('run'));
    if (i.subcommand === 'cancel') {
      await trainer.request(`/v1/runs/${id}`, { method: 'DELETE' });
      await i.reply({ content: `Cancelling run \`${i.requiredString('run')}\`.` });
      return;
    }
    await i.reply({ content: describeRun(await trainer.json(`/v1/runs/${id}`, Run)) });
  },
};
