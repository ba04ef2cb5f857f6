import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { service, textOrFile, type BotCommand, type Invocation } from './common.js';

const Languages = z
  .object({ languages: z.array(z.union([z.string(), z.object({ code: z.string(), name: z.string().optional() })])) })
  .loose();
const Transliterated = z.object({ text: z.string(), standard: z.string().optional() });
const Detected = z.object({
  language: z.string(),
  script: z.string().optional(),
  confidence: z.number(),
  candidates: z.array(z.object({ language: z.string(), confidence: z.number() })),
});
const Queued = z.object({ job_id: z.string() });

async function languageList({ env }: Invocation): Promise<{ code: string; name: string }[]> {
  const answer = await service(env.services, 'turkic').json('/v1/languages', Languages);
  return answer.languages.map((language) =>
    typeof language === 'string' ? { code: language, name: language } : { code: language.code, name: language.name ?? language.code },
  );
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export const turkic: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('turkic')
    .setDescription('Turkic languages: transliterate, detect, corpora')
    .addSubcommand((s) =>
      s
        .setName('transliterate')
        .setDescription('Write text in IPA or Latin')
        .addStringOption((o) => o.setName('text').setDescription('The text').setRequired(true).setMaxLength(4000))
        .addStringOption((o) => o.setName('language').setDescription('Its language').setRequired(true).setAutocomplete(true))
        .addStringOption((o) =>
          o
            .setName('target')
            .setDescription('Output (default latin)')
            .addChoices({ name: 'Latin', value: 'latin' }, { name: 'IPA', value: 'ipa' }),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('detect')
        .setDescription('Which language is this?')
        .addStringOption((o) => o.setName('text').setDescription('The text').setRequired(true).setMaxLength(4000)),
    )
    .addSubcommand((s) => s.setName('languages').setDescription('The supported languages'))
    .addSubcommand((s) =>
      s
        .setName('corpus')
        .setDescription('Build a text corpus (a job)')
        .addStringOption((o) => o.setName('language').setDescription('Language').setRequired(true).setAutocomplete(true))
        .addStringOption((o) =>
          o
            .setName('source')
            .setDescription('Where from (default wikipedia)')
            .addChoices(
              { name: 'Wikipedia', value: 'wikipedia' },
              { name: 'A URL', value: 'url' },
              { name: 'A data-bank file', value: 'data_bank' },
            ),
        )
        .addStringOption((o) => o.setName('url').setDescription('For source URL: a .txt/.jsonl/.xml(.bz2) link').setMaxLength(4096))
        .addStringOption((o) => o.setName('file_id').setDescription('For source data-bank: the file id').setMaxLength(64))
        .addIntegerOption((o) => o.setName('max_sentences').setDescription('At most (default 1000)').setMinValue(1).setMaxValue(1_000_000))
        .addStringOption((o) =>
          o
            .setName('transform')
            .setDescription('Transliterate sentences')
            .addChoices({ name: 'None', value: 'none' }, { name: 'IPA', value: 'ipa' }, { name: 'Latin', value: 'latin' }),
        ),
    )
    .toJSON(),
  requires: ['turkic'],
  async autocomplete(invocation) {
    const typed = (invocation.i.string(invocation.i.focused ?? '') ?? '').toLowerCase();
    const languages = await languageList(invocation);
    return languages
      .filter((language) => language.code.startsWith(typed) || language.name.toLowerCase().includes(typed))
      .map((language) => ({
        name: language.name === language.code ? language.code : `${language.name} (${language.code})`,
        value: language.code,
      }));
  },
  async execute(invocation) {
    const { i, env } = invocation;
    const turkicApi = service(env.services, 'turkic');
    switch (i.subcommand) {
      case 'transliterate': {
        const body = { text: i.requiredString('text'), language: i.requiredString('language'), target: i.string('target') ?? 'latin' };
        const answer = await turkicApi.json('/v1/transliterate', Transliterated, { method: 'POST', json: body });
        await i.reply(textOrFile(answer.text, 'transliteration.txt'));
        return;
      }
      case 'detect': {
        const answer = await turkicApi.json('/v1/detect', Detected, { method: 'POST', json: { text: i.requiredString('text'), top_k: 3 } });
        const others = answer.candidates
          .slice(1)
          .map((c) => `${c.language} ${percent(c.confidence)}`)
          .join(', ');
        await i.reply({
          content: `**${answer.language}**${answer.script ? ` (${answer.script})` : ''}, ${percent(answer.confidence)}${others ? `\nAlso: ${others}` : ''}`,
        });
        return;
      }
      case 'languages': {
        const languages = await languageList(invocation);
        await i.reply(textOrFile(languages.map((l) => (l.name === l.code ? l.code : `${l.code}: ${l.name}`)).join('\n'), 'languages.txt'));
        return;
      }
      default: {
        const source = i.string('source') ?? 'wikipedia';
        const body: Record<string, unknown> = { source, language: i.requiredString('language'), user_id: i.userId };
        if (source === 'url') body['url'] = i.requiredString('url');
        if (source === 'data_bank') body['file_id'] = i.requiredString('file_id');
        const max = i.number('max_sentences');
        if (max !== undefined) body['max_sentences'] = max;
        const transform = i.string('transform');
        if (transform !== undefined) body['transform'] = transform;
        const job = await turkicApi.json('/v1/corpus-jobs', Queued, {
          method: 'POST',
          json: body,
          headers: { 'idempotency-key': `discord-${i.raw.id}` },
        });
        const where = await env.jobs.track(i, 'turkic', job.job_id, `Corpus ${String(body['language'])}`);
        await i.reply({ content: `Corpus job \`${job.job_id}\` queued; updates ${where.dm ? 'in your DMs' : 'below'}.` });
      }
    }
  },
};
