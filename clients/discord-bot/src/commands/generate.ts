import { SlashCommandBuilder } from 'discord.js';
import { z } from 'zod';
import { UserFacingError } from '../services/clients.js';
import { readSse } from '../services/sse.js';
import { service, textOrFile, type BotCommand } from './common.js';
import { runChoices } from './trainer.js';

// model-trainer's stream (its README): `token` events {token, delta}, then `done` (the JSON answer,
// whose `text` is the continuation, cut before a stop string) or `error` (the platform's envelope).
const Token = z.object({ delta: z.string() });
const Done = z.object({ text: z.string() });
const Failure = z.object({ message: z.string() });

function eventData<S extends z.ZodType>(schema: S, data: string): z.output<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not JSON: it fails the schema just below, with the same message.
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new UserFacingError('model-trainer gave an answer the bot does not understand.');
  return result.data;
}

/** Edits are spaced out: Discord allows about 5 edits per 5 s on one message. */
const EDIT_EVERY_MS = 1_200;

export const generate: BotCommand = {
  definition: new SlashCommandBuilder()
    .setName('generate')
    .setDescription('Generate text with a trained run')
    .addStringOption((o) => o.setName('run').setDescription('Run id').setRequired(true).setAutocomplete(true))
    .addStringOption((o) => o.setName('prompt').setDescription('Start of the text').setRequired(true).setMaxLength(1000))
    .addIntegerOption((o) => o.setName('max_tokens').setDescription('At most (default 200)').setMinValue(1).setMaxValue(1000))
    .addNumberOption((o) => o.setName('temperature').setDescription('0 = greedy (default 0.8)').setMinValue(0).setMaxValue(2))
    .toJSON(),
  requires: ['trainer'],
  autocomplete: runChoices,
  async execute({ i, env }) {
    const prompt = i.requiredString('prompt');
    const body = { prompt, max_tokens: i.number('max_tokens') ?? 200, temperature: i.number('temperature') ?? 0.8 };
    await i.defer();
    const response = await service(env.services, 'trainer').request(`/v1/runs/${encodeURIComponent(i.requiredString('run'))}/generate`, {
      method: 'POST',
      json: body,
      headers: { accept: 'text/event-stream' },
      timeoutMs: 300_000,
    });
    if (!response.body) throw new UserFacingError('model-trainer sent no text.');
    let text = prompt;
    let lastEdit = Date.now();
    for await (const event of readSse(response.body)) {
      if (event.event === 'error') throw new UserFacingError(`model-trainer: ${eventData(Failure, event.data).message}`);
      if (event.event === 'done') {
        text = prompt + eventData(Done, event.data).text;
        break;
      }
      if (event.event !== 'token') continue;
      text += eventData(Token, event.data).delta;
      if (Date.now() - lastEdit >= EDIT_EVERY_MS && text.length < 1990) {
        lastEdit = Date.now();
        await i.edit({ content: `${text}…` });
      }
    }
    await i.edit(textOrFile(text, 'generated.txt'));
  },
};
