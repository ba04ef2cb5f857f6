import { deleteKeys } from '@platform/testing';
import { jobProgress, jobCompleted, metricsEvent } from '@platform/core';
import { closeRedis, createRedis, EventPublisher } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type Message } from './helpers/fake-discord.js';
import { FakeTrainer } from './helpers/fake-trainer.js';
import { startService, type ServiceProcess } from './helpers/processes.js';

const USER = '888888888888888888';
const CHANNEL = '999999999999999999';

interface Callback {
  type: number;
  data?: { content?: string; flags?: number; attachments?: { id: number; filename: string }[] };
}

describe('commands against the real services (handwriting-ai, qr-api, data-bank) and the trainer fake', () => {
  const namespace = testNamespace('commands');
  const redis = createRedis(REDIS_URL, 'command');
  let fake: FakeDiscord;
  let trainer: FakeTrainer;
  let dataBank: DataBankProcess;
  let handwriting: ServiceProcess;
  let qr: ServiceProcess;
  let modelsDir: string;
  let bot: Bot | undefined;

  beforeAll(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'bot-handwriting-'));
    [fake, trainer, dataBank, qr] = await Promise.all([FakeDiscord.start(), FakeTrainer.start(), startDataBankProcess(), startService('qr-api', { RATE_LIMIT_MAX: '0' })]);
    handwriting = await startService('handwriting-ai', {
      REDIS_URL,
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
      HANDWRITING_READ_KEYS: 'read-key',
      HANDWRITING_API_KEYS: 'models-key',
      HANDWRITING_MODELS_DIR: modelsDir,
      HANDWRITING_REGISTRY_PREFIX: `${namespace}models`,
      HANDWRITING_QUEUE_PREFIX: `${namespace}bull`,
      HANDWRITING_EVENTS_NAMESPACE: namespace,
    });
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
    await Promise.all([fake.close(), trainer.close(), dataBank.stop(), handwriting.stop(), qr.stop()]);
    await rm(modelsDir, { recursive: true, force: true });
    await deleteKeys(redis, `${namespace}*`);
    await closeRedis(redis);
  });

  const run = async (name: string, options: object[] = [], extra: { attachments?: Record<string, object> } = {}) => {
    const interaction = fake.interaction({ name, options, userId: USER, channelId: CHANNEL, ...extra });
    fake.dispatchInteraction(interaction);
    const callback = await fake.waitForRequest('POST', new RegExp(`^/interactions/${interaction.id}/`));
    return { interaction, callback: callback.body as Callback, files: callback.files };
  };

  it('/digits read: the digit, its confidence, the top 3 and the 28x28 input as an image', async () => {
    const image = fake.attachment('seven.png', await readFile(new URL('fixtures/seven.png', import.meta.url)), 'image/png');
    const { callback, files } = await run('digits', [{ type: 1, name: 'read', options: [{ type: 11, name: 'image', value: image.id }] }], { attachments: { [image.id]: image } });
    expect(callback.type).toBe(4);
    expect(callback.data?.content).toMatch(/^\*\*7\*\* \(confidence \d+\.\d%(, uncertain)?\)\nTop 3: 7 \d+\.\d% · \d \d+\.\d% · \d \d+\.\d%$/);
    expect(callback.data?.attachments).toEqual([{ id: 0, filename: 'input-28x28.png' }]);
    expect(files[0]?.data.subarray(1, 4).toString()).toBe('PNG');
  });

  it('/digits train is for admins only', async () => {
    const { callback } = await run('digits', [{ type: 1, name: 'train', options: [] }]);
    expect(callback.data).toMatchObject({ content: "Only the bot's admins may use this.", flags: 64 });
  });

  it('/qrdecode reads a code made by qr-api, attached from the CDN', async () => {
    const png = Buffer.from(await (await fetch(`${qr.url}/v1/qr?url=example.com/menu`)).arrayBuffer());
    const image = fake.attachment('code.png', png, 'image/png');
    const { callback } = await run('qrdecode', [{ type: 11, name: 'image', value: image.id }], { attachments: { [image.id]: image } });
    expect(callback.data?.content).toBe('https://example.com/menu');
  });

  it('refuses an attachment that is not on the CDN', async () => {
    const attachments = { '1': { id: '1', filename: 'x.png', size: 10, url: 'http://169.254.169.254/latest/meta-data', proxy_url: '', content_type: 'image/png' } };
    const { callback } = await run('qrdecode', [{ type: 11, name: 'image', value: '1' }], { attachments });
    expect(callback.data).toMatchObject({ content: '❌ The attachment is not hosted on Discord.', flags: 64 });
  });

  it('/train uploads the corpus to data-bank, starts the run with the documented fields, and its events edit one message', async () => {
    const corpus = Buffer.from('To be, or not to be, that is the question.\n'.repeat(20));
    const file = fake.attachment('hamlet.txt', corpus, 'text/plain');
    const { callback } = await run('train', [
      { type: 3, name: 'family', value: 'char_lstm' },
      { type: 3, name: 'size', value: 'small' },
      { type: 11, name: 'corpus', value: file.id },
      { type: 4, name: 'budget_s', value: 60 },
    ], { attachments: { [file.id]: file } });
    const runId = /Run `([^`]+)` queued; updates below\./.exec(callback.data?.content ?? '')?.[1] ?? '';
    const started = trainer.runs.get(runId);
    expect(started).toBeDefined();
    const post = trainer.requests.find((request) => request.method === 'POST' && request.path === '/v1/runs');
    expect(post?.body).toEqual({ family: 'char_lstm', size: 'small', corpus_file_id: (await dataBank.client.upload({ kind: 'buffer', data: corpus })).file_id, time_budget_s: 60 });
    expect(post?.apiKey).toBe(trainer.apiKey);

    const message = [...fake.messages.values()].find((m) => m.channel_id === CHANNEL) as Message;
    expect(message.embeds[0]).toMatchObject({ title: 'Training char_lstm small · Queued' });
    const publisher = new EventPublisher(redis, { namespace });
    const jobId = started?.job_id ?? '';
    await publisher.publish(jobProgress({ domain: 'trainer', job_id: jobId, user_id: USER, progress: 35, message: 'step 350/1000', payload: { train_loss: 1.8123, tokens_per_s: 25000 } }));
    await publisher.publish(metricsEvent({ domain: 'trainer', job_id: jobId, user_id: USER, name: 'eval', metrics: { val_loss: 1.9042 } }));
    await fake.waitFor(() => (message.embeds[0] as { fields?: unknown[] }).fields?.length === 3, 10_000, 'the metrics edit');
    expect(message.embeds[0]).toMatchObject({
      title: 'Training char_lstm small · Running',
      description: '▰▰▰▱▱▱▱▱▱▱ 35%\nstep 350/1000',
      fields: [
        { name: 'Train loss', value: '1.812', inline: true },
        { name: 'Tokens/s', value: '25,000', inline: true },
        { name: 'Validation loss', value: '1.904', inline: true },
      ],
    });
    await publisher.publish(jobCompleted({ domain: 'trainer', job_id: jobId, user_id: USER, result: { best_val_loss: 1.6 } }));
    await fake.waitFor(() => (message.embeds[0] as { title: string }).title === 'Training char_lstm small · Done', 10_000, 'the final edit');
    expect(fake.find('POST', new RegExp(`^/channels/${CHANNEL}/messages$`))).toHaveLength(1);

    // /runs lists it (from the user's run book), shows its status, cancels it; run ids autocomplete.
    const list = await run('runs', [{ type: 1, name: 'list', options: [] }]);
    expect(list.callback.data).toMatchObject({ flags: 64, content: `\`${runId}\` char_lstm small **queued** 0%` });
    const cancel = await run('runs', [{ type: 1, name: 'cancel', options: [{ type: 3, name: 'run', value: runId }] }]);
    expect(cancel.callback.data?.content).toBe(`Cancelling run \`${runId}\`.`);
    expect(trainer.runs.get(runId)?.status).toBe('cancelling');
    const unknown = await run('runs', [{ type: 1, name: 'status', options: [{ type: 3, name: 'run', value: 'run-nope' }] }]);
    expect(unknown.callback.data?.content).toBe('❌ model-trainer: run not found');
    const auto = fake.interaction({ type: 4, name: 'generate', userId: USER, options: [{ type: 3, name: 'run', value: 'run-', focused: true }] });
    fake.dispatchInteraction(auto);
    const choices = await fake.waitForRequest('POST', new RegExp(`^/interactions/${auto.id}/`));
    expect(choices.body).toEqual({ type: 8, data: { choices: [{ name: runId, value: runId }] } });

    // /generate: deferred, then the answer is edited as tokens stream in, and finally the whole text.
    const generate = await run('generate', [{ type: 3, name: 'run', value: runId }, { type: 3, name: 'prompt', value: 'Hamlet:' }]);
    expect(generate.callback).toEqual({ type: 5 });
    const original = new RegExp(`^/webhooks/${fake.applicationId}/${generate.interaction.token}/messages/@original$`);
    await fake.waitFor(() => fake.find('PATCH', original).some((edit) => (edit.body as { content: string }).content === 'Hamlet: to be, or not to be'), 10_000, 'the final generation');
    const edits = fake.find('PATCH', original).map((edit) => (edit.body as { content: string }).content);
    expect(edits.length).toBeGreaterThan(1);
    expect(edits.slice(0, -1).every((content) => content.startsWith('Hamlet:') && content.endsWith('…'))).toBe(true);
    expect(trainer.requests.at(-1)).toMatchObject({ accept: 'text/event-stream', body: { prompt: 'Hamlet:', max_tokens: 200, temperature: 0.8 } });
  });

  it('a job whose message Discord refuses still says it started, and where its updates cannot go', async () => {
    fake.fail('POST', new RegExp(`^/channels/${CHANNEL}/messages$`), 403, 1, { message: 'Missing Access', code: 50001 });
    const { callback } = await run('train', [
      { type: 3, name: 'family', value: 'gpt2' },
      { type: 3, name: 'size', value: 'tiny' },
      { type: 3, name: 'corpus_file_id', value: 'c'.repeat(64) },
    ]);
    expect(callback.data?.flags).toBe(64);
    expect(callback.data?.content).toMatch(/^❌ Job `[0-9a-f-]+` started, but its updates cannot be posted in this channel \(the bot may not post here\)\.$/);
  });
});
