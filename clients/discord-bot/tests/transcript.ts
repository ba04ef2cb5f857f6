// Prints the README's conversation transcript: the bot against the fake Discord, the real qr-api and the
// real model-trainer (API and training worker) on the real data-bank. Run from the repository root:
//   npx tsx --conditions=source clients/discord-bot/tests/transcript.ts
import { deleteKeys } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess } from 'data-bank-api/testing';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type RecordedRequest } from './helpers/fake-discord.js';
import { startService } from './helpers/processes.js';
import { SHIPPED_RUN, startTrainer, TOY_CORPUS } from './helpers/trainer.js';

const USER = '123456789012345678';
const CHANNEL = '876543210987654321';
const namespace = testNamespace('transcript');
const [fake, qr, dataBank] = await Promise.all([
  FakeDiscord.start(),
  startService('qr-api', { RATE_LIMIT_MAX: '0' }),
  startDataBankProcess(),
]);
const trainer = await startTrainer(dataBank, namespace);
const bot = await startTestBot(fake, namespace, {
  QR_API_URL: qr.url,
  MODEL_TRAINER_URL: trainer.url,
  TRAINER_API_KEY: trainer.apiKey,
  DATA_BANK_URL: dataBank.url,
  DATA_BANK_API_KEY: dataBank.apiKey,
  DISCORD_EVENT_DOMAINS: 'trainer',
});
const corpus = (await dataBank.client.upload({ kind: 'buffer', data: TOY_CORPUS }, { contentType: 'text/plain' })).file_id;
let seen = fake.requests.length;

const show = (request: RecordedRequest) => {
  const path = request.path.replace(/interaction-token-[0-9a-f]+/, '<token>');
  const files = request.files.map((file) => `  + ${file.field}: ${file.name} (${file.contentType}, ${file.data.length} bytes)`);
  return [
    `bot → ${request.method} /api/v10${path}`,
    ...(request.body === undefined ? [] : [`  ${JSON.stringify(request.body)}`]),
    ...files,
  ].join('\n');
};
/** Prints what the bot sent since the last call, once `done` holds (default: it sent anything) and 600 ms passed. */
const settle = async (done = () => fake.requests.length > seen, timeoutMs = 20_000) => {
  await fake.waitFor(done, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, 600));
  console.log(fake.requests.slice(seen).map(show).join('\n'));
  seen = fake.requests.length;
};
/** One command; its requests are printed once `done` holds (default: the interaction was answered). */
const say = async (
  label: string,
  name: string,
  options: object[],
  done = (answered: (method: string, path: string) => boolean) => answered('POST', '/callback'),
) => {
  const interaction = fake.interaction({ name, options, userId: USER, channelId: CHANNEL });
  fake.dispatchInteraction(interaction);
  console.log(
    `\n### user: ${label}\ngateway → INTERACTION_CREATE {"type":2,"data":{"name":"${name}","options":${JSON.stringify(options)}},"member":{"user":{"id":"${USER}"}},"channel":{"id":"${CHANNEL}"}}`,
  );
  const answered = (method: string, path: string) =>
    fake.requests.some((request) => request.method === method && request.path.includes(interaction.token) && request.path.endsWith(path));
  await settle(() => done(answered));
};
const jobTitle = () =>
  (fake.find('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/\\d+$`)).at(-1)?.body as { embeds?: { title: string }[] } | undefined)
    ?.embeds?.[0]?.title ?? '';

await say('/qr text text:hi format:Text', 'qr', [
  {
    type: 1,
    name: 'text',
    options: [
      { type: 3, name: 'text', value: 'hi' },
      { type: 3, name: 'format', value: 'text' },
    ],
  },
]);
await say('/qr url url:example.com', 'qr', [{ type: 1, name: 'url', options: [{ type: 3, name: 'url', value: 'example.com' }] }]);
await say(`/train family:gpt2 size:tiny corpus_file_id:${corpus.slice(0, 4)}… budget_s:10`, 'train', [
  { type: 3, name: 'family', value: 'gpt2' },
  { type: 3, name: 'size', value: 'tiny' },
  { type: 3, name: 'corpus_file_id', value: corpus },
  { type: 4, name: 'budget_s', value: 10 },
]);
console.log(
  `\n### model-trainer's worker trains the run (its events on ${namespace}events:trainer); each edit shows what arrived since the last`,
);
await settle(() => / · (Done|Failed)$/.test(jobTitle()), 180_000);
await say(
  `/generate run:${SHIPPED_RUN} prompt:ROMEO: max_tokens:60 temperature:0`,
  'generate',
  [
    { type: 3, name: 'run', value: SHIPPED_RUN },
    { type: 3, name: 'prompt', value: 'ROMEO:' },
    { type: 4, name: 'max_tokens', value: 60 },
    { type: 10, name: 'temperature', value: 0 },
  ],
  () =>
    fake.requests.some(
      (request) =>
        request.method === 'PATCH' && request.path.endsWith('/@original') && !(request.body as { content: string }).content.endsWith('…'),
    ),
);
await say('/qr geo lat:10 lon:10 dark:#EEEEEE', 'qr', [
  {
    type: 1,
    name: 'geo',
    options: [
      { type: 10, name: 'lat', value: 10 },
      { type: 10, name: 'lon', value: 10 },
      { type: 3, name: 'dark', value: '#EEEEEE' },
    ],
  },
]);

await bot.close();
await Promise.all([fake.close(), trainer.stop(), qr.stop()]);
await dataBank.stop();
const redis = createRedis(REDIS_URL, 'command');
await deleteKeys(redis, `${namespace}*`);
await closeRedis(redis);
