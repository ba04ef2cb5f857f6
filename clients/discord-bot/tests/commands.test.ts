import { deleteKeys } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type Callback, type Message } from './helpers/fake-discord.js';
import { startService, type ServiceProcess } from './helpers/processes.js';
import { SHIPPED_RUN, startTrainer, TOY_CORPUS, type Trainer } from './helpers/trainer.js';

const USER = '888888888888888888';
const CHANNEL = '999999999999999999';

/** What GET /v1/runs/{id} answers, as far as these tests read it. */
interface TrainerRun {
  status: string;
  corpus: { bytes: number; train: { documents: number }; val: { documents: number } } | null;
}

interface Embed {
  title: string;
  description: string;
  fields: { name: string; value: string }[];
}

describe('commands against the real services (handwriting-ai, qr-api, model-trainer, data-bank)', () => {
  const namespace = testNamespace('commands');
  const redis = createRedis(REDIS_URL, 'command');
  let fake: FakeDiscord;
  let trainer: Trainer;
  let dataBank: DataBankProcess;
  let handwriting: ServiceProcess;
  let qr: ServiceProcess;
  let modelsDir: string;
  let bot: Bot | undefined;

  beforeAll(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'bot-handwriting-'));
    [fake, dataBank, qr] = await Promise.all([
      FakeDiscord.start(),
      startDataBankProcess(),
      startService('qr-api', { RATE_LIMIT_MAX: '0' }),
    ]);
    [trainer, handwriting] = await Promise.all([
      startTrainer(dataBank, namespace),
      startService('handwriting-ai', {
        REDIS_URL,
        DATA_BANK_URL: dataBank.url,
        DATA_BANK_API_KEY: dataBank.apiKey,
        HANDWRITING_READ_KEYS: 'read-key',
        HANDWRITING_API_KEYS: 'models-key',
        HANDWRITING_MODELS_DIR: modelsDir,
        HANDWRITING_REGISTRY_PREFIX: `${namespace}models`,
        HANDWRITING_QUEUE_PREFIX: `${namespace}bull`,
        HANDWRITING_EVENTS_NAMESPACE: namespace,
      }),
    ]);
    bot = await startTestBot(fake, namespace, {
      HANDWRITING_AI_URL: handwriting.url,
      HANDWRITING_READ_KEY: 'read-key',
      HANDWRITING_API_KEY: 'models-key',
      QR_API_URL: qr.url,
      MODEL_TRAINER_URL: trainer.url,
      TRAINER_API_KEY: trainer.apiKey,
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      DISCORD_EVENT_DOMAINS: 'trainer,digits',
    });
  });
  afterAll(async () => {
    await bot?.close();
    await Promise.all([fake.close(), trainer.stop(), handwriting.stop(), qr.stop()]);
    await dataBank.stop();
    await rm(modelsDir, { recursive: true, force: true });
    await deleteKeys(redis, `${namespace}*`);
    await closeRedis(redis);
  });

  type Extra = { attachments?: Record<string, object> };
  const dispatch = (name: string, options: object[], extra: Extra) => {
    const interaction = fake.interaction({ name, options, userId: USER, channelId: CHANNEL, ...extra });
    fake.dispatchInteraction(interaction);
    return interaction;
  };
  const run = async (name: string, options: object[] = [], extra: Extra = {}) => {
    const interaction = dispatch(name, options, extra);
    const callback = await fake.waitForRequest('POST', new RegExp(`^/interactions/${interaction.id}/`));
    return { interaction, callback: callback.body as Callback, files: callback.files };
  };
  /** What the user finally sees (see FakeDiscord.answerTo). */
  const ask = (name: string, options: object[] = [], extra: Extra = {}) => fake.answerTo(dispatch(name, options, extra));

  it('/digits read: the digit, its confidence, the top 3 and the 28x28 input as an image', async () => {
    const image = fake.attachment('seven.png', await readFile(new URL('fixtures/seven.png', import.meta.url)), 'image/png');
    const { answer, files } = await ask('digits', [{ type: 1, name: 'read', options: [{ type: 11, name: 'image', value: image.id }] }], {
      attachments: { [image.id]: image },
    });
    expect(answer?.content).toMatch(/^\*\*7\*\* \(confidence \d+\.\d%(, uncertain)?\)\nTop 3: 7 \d+\.\d% · \d \d+\.\d% · \d \d+\.\d%$/);
    expect(answer?.attachments).toEqual([{ id: 0, filename: 'input-28x28.png' }]);
    expect(files[0]?.data.subarray(1, 4).toString()).toBe('PNG');
  });

  it('/digits train is for admins only', async () => {
    const { answer } = await ask('digits', [{ type: 1, name: 'train', options: [] }]);
    expect(answer).toMatchObject({ content: "Only the bot's admins may use this.", flags: 64 });
  });

  it('/qrdecode reads a code made by qr-api, attached from the CDN', async () => {
    const png = Buffer.from(await (await fetch(`${qr.url}/v1/qr?url=example.com/menu`)).arrayBuffer());
    const image = fake.attachment('code.png', png, 'image/png');
    const { answer } = await ask('qrdecode', [{ type: 11, name: 'image', value: image.id }], { attachments: { [image.id]: image } });
    expect(answer?.content).toBe('https://example.com/menu');
  });

  it('refuses an attachment that is not on the CDN', async () => {
    const attachments = {
      '1': {
        id: '1',
        filename: 'x.png',
        size: 10,
        url: 'http://169.254.169.254/latest/meta-data',
        proxy_url: '',
        content_type: 'image/png',
      },
    };
    const { answer } = await ask('qrdecode', [{ type: 11, name: 'image', value: '1' }], { attachments });
    expect(answer).toMatchObject({ content: '❌ The attachment is not hosted on Discord.', flags: 64 });
  });

  const embedOf = (message: Message) => message.embeds[0] as Embed;
  /** The run's message shows `done`; a worker that died meanwhile fails the wait at once. */
  const whileTraining = (done: () => boolean) => () => {
    trainer.checkWorker();
    return done();
  };

  it('/train: the corpus goes to data-bank, the run trains, its progress edits one message; /runs status and cancel', async () => {
    const file = fake.attachment('hamlet.txt', TOY_CORPUS, 'text/plain');
    const { answer } = await ask(
      'train',
      [
        { type: 3, name: 'family', value: 'gpt2' },
        { type: 3, name: 'size', value: 'tiny' },
        { type: 11, name: 'corpus', value: file.id },
        { type: 4, name: 'budget_s', value: 120 },
      ],
      { attachments: { [file.id]: file } },
    );
    const runId = /^Run `([^`]+)` queued; updates below\.$/.exec(answer?.content ?? '')?.[1] ?? '';
    expect(runId).not.toBe('');
    const trainerRun = async () =>
      (await fetch(`${trainer.url}/v1/runs/${runId}`, { headers: { 'x-api-key': trainer.apiKey } })).json() as Promise<TrainerRun>;

    const message = [...fake.messages.values()].find((m) => m.channel_id === CHANNEL) as Message;
    const posted = fake.find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`))[0]?.body as { embeds: Embed[] };
    // Queued, or already running when the worker's started event came before the post.
    expect(posted.embeds[0]?.title).toMatch(/^Training gpt2 tiny · (Queued|Running)$/);
    // The kernel's first steps: the job's progress and step metrics, as edits of that message.
    await fake.waitFor(
      whileTraining(() => embedOf(message).fields.some((field) => field.name === 'Train loss')),
      90_000,
      'the first training step',
    );
    expect(embedOf(message)).toMatchObject({
      title: 'Training gpt2 tiny · Running',
      description: expect.stringMatching(/^[▰▱]{10} \d+%(\nstep \d+)?$/) as unknown,
    });
    expect(embedOf(message).fields.find((field) => field.name === 'Train loss')?.value).toMatch(/^\d+\.\d+$/);
    // Only the run's losses and speed: not the trainer's config event (parameters, device, budgets).
    expect(
      embedOf(message).fields.every((field) => ['Train loss', 'Tokens/s', 'Validation loss', 'Best validation loss'].includes(field.name)),
    ).toBe(true);
    expect(fake.find('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/${message.id}$`)).length).toBeGreaterThan(0);
    // It trains on the attachment, as the bot put it in data-bank.
    const { corpus: stats } = await trainerRun();
    expect(stats?.bytes).toBe(TOY_CORPUS.length);
    expect((stats?.train.documents ?? 0) + (stats?.val.documents ?? 0)).toBe(40);

    const status = await ask('runs', [{ type: 1, name: 'status', options: [{ type: 3, name: 'run', value: runId }] }]);
    expect(status.answer).toMatchObject({
      flags: 64,
      content: expect.stringMatching(
        new RegExp(`^\`${runId}\` gpt2 tiny \\*\\*processing\\*\\* \\d+% \\(step [\\d,]+, train_loss \\d`),
      ) as unknown,
    });
    const cancel = await ask('runs', [{ type: 1, name: 'cancel', options: [{ type: 3, name: 'run', value: runId }] }]);
    expect(cancel.answer?.content).toBe(`Cancelling run \`${runId}\`.`);
    // The kernel saves its checkpoint and stops; the job fails as a user error, and the message says so.
    await fake.waitFor(
      whileTraining(() => embedOf(message).title === 'Training gpt2 tiny · Failed'),
      60_000,
      "the cancelled run's edit",
    );
    expect(embedOf(message).description).toMatch(/^❌ .*cancelled/);
    expect(fake.find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`))).toHaveLength(1);
    expect((await trainerRun()).status).toBe('cancelled');

    // /runs lists it (from the user's run book) with the trainer's error; run ids autocomplete.
    const list = await ask('runs', [{ type: 1, name: 'list', options: [] }]);
    expect(list.answer).toMatchObject({
      flags: 64,
      content: expect.stringMatching(new RegExp(`^\`${runId}\` gpt2 tiny \\*\\*cancelled\\*\\* .*: .*cancel`)) as unknown,
    });
    const unknown = await ask('runs', [{ type: 1, name: 'status', options: [{ type: 3, name: 'run', value: 'run-nope' }] }]);
    expect(unknown.answer).toMatchObject({ flags: 64, content: '❌ model-trainer: No run run-nope' });
    const auto = fake.interaction({
      type: 4,
      name: 'generate',
      userId: USER,
      options: [{ type: 3, name: 'run', value: runId.slice(0, 4), focused: true }],
    });
    fake.dispatchInteraction(auto);
    const choices = await fake.waitForRequest('POST', new RegExp(`^/interactions/${auto.id}/`));
    expect(choices.body).toEqual({ type: 8, data: { choices: [{ name: runId, value: runId }] } });
  });

  it('/generate with the shipped model: deferred, then the answer is the streamed generation', async () => {
    const options = { prompt: 'ROMEO:\n', max_tokens: 120, temperature: 0 };
    const expected = await fetch(`${trainer.url}/v1/runs/${SHIPPED_RUN}/generate`, {
      method: 'POST',
      headers: { 'x-api-key': trainer.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(options),
    }).then(async (response) => (await response.json()) as { text: string });
    const generate = await run('generate', [
      { type: 3, name: 'run', value: SHIPPED_RUN },
      { type: 3, name: 'prompt', value: options.prompt },
      { type: 4, name: 'max_tokens', value: options.max_tokens },
      { type: 10, name: 'temperature', value: options.temperature },
    ]);
    expect(generate.callback).toEqual({ type: 5 });
    const original = new RegExp(`^/webhooks/${fake.applicationId}/${generate.interaction.token}/messages/@original$`);
    const final = options.prompt + expected.text;
    await fake.waitFor(
      () => fake.find('PATCH', original).some((edit) => (edit.body as { content: string }).content === final),
      30_000,
      'the final generation',
    );
    // Greedy decoding: the bot's answer is exactly the trainer's. Edits before it (a slow stream) are its prefixes.
    const edits = fake.find('PATCH', original).map((edit) => (edit.body as { content: string }).content);
    expect(edits.at(-1)).toBe(final);
    expect(edits.slice(0, -1).every((content) => content.endsWith('…') && final.startsWith(content.slice(0, -1)))).toBe(true);
  });

  it('a public answer that was deferred and then fails: the "thinking…" message goes, the failure is only for the user', async () => {
    const generate = await run('generate', [
      { type: 3, name: 'run', value: 'run-nope' },
      { type: 3, name: 'prompt', value: 'Hamlet:' },
    ]);
    expect(generate.callback).toEqual({ type: 5 });
    const webhook = new RegExp(`^/webhooks/${fake.applicationId}/${generate.interaction.token}(/messages/@original)?$`);
    await fake.waitFor(() => fake.find('POST', webhook).length === 1, 10_000, 'the failure follow-up');
    const requests = fake.requests
      .filter((request) => webhook.test(request.path))
      .map((request) => ({ method: request.method, body: request.body }));
    expect(requests).toEqual([
      { method: 'DELETE', body: undefined },
      { method: 'POST', body: { allowed_mentions: { parse: [] }, content: '❌ model-trainer: No run run-nope', flags: 64 } },
    ]);
  });

  it('a job whose message Discord refuses still says it started, and where its updates cannot go', async () => {
    fake.fail('POST', new RegExp(`^/channels/${CHANNEL}/messages$`), 403, 1, { message: 'Missing Access', code: 50001 });
    const { answer } = await ask('train', [
      { type: 3, name: 'family', value: 'gpt2' },
      { type: 3, name: 'size', value: 'tiny' },
      { type: 3, name: 'corpus_file_id', value: 'c'.repeat(64) },
    ]);
    expect(answer?.flags).toBe(64);
    expect(answer?.content).toMatch(
      /^❌ Job `[0-9a-f-]+` started, but its updates cannot be posted in this channel \(the bot may not post here\)\.$/,
    );
  });
});
