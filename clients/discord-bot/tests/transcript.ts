// Prints the README's conversation transcript: the bot against the fake Discord, the real qr-api and
// the model-trainer fake. Run from the repository root:
//   npx tsx --conditions=source clients/discord-bot/tests/transcript.ts
import { deleteKeys } from '@platform/testing';
import { jobCompleted, jobProgress } from '@platform/core';
import { closeRedis, createRedis, EventPublisher } from '@platform/workers';
import { REDIS_URL, startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord, type RecordedRequest } from './helpers/fake-discord.js';
import { FakeTrainer } from './helpers/fake-trainer.js';
import { startService } from './helpers/processes.js';

const USER = '123456789012345678';
const CHANNEL = '876543210987654321';
const namespace = testNamespace('transcript');
const [fake, trainer, qr] = await Promise.all([FakeDiscord.start(), FakeTrainer.start(), startService('qr-api', { RATE_LIMIT_MAX: '0' })]);
const bot = await startTestBot(fake, namespace, { QR_API_URL: qr.url, MODEL_TRAINER_URL: trainer.url, TRAINER_API_KEY: trainer.apiKey, DATA_BANK_URL: 'http://127.0.0.1:9', DISCORD_EVENT_DOMAINS: 'trainer' });
const redis = createRedis(REDIS_URL, 'command');
let seen = fake.requests.length;

const show = (request: RecordedRequest) => {
  const path = request.path.replace(/interaction-token-[0-9a-f]+/, '<token>');
  const files = request.files.map((file) => `  + ${file.field}: ${file.name} (${file.contentType}, ${file.data.length} bytes)`);
  return [`bot → ${request.method} /api/v10${path}`, `  ${JSON.stringify(request.body)}`, ...files].join('\n');
};
const settle = async () => {
  await new Promise((resolve) => setTimeout(resolve, 600));
  const lines = fake.requests.slice(seen).map(show);
  seen = fake.requests.length;
  return lines.join('\n');
};
const say = async (label: string, options: object[], name: string) => {
  const interaction = fake.interaction({ name, options, userId: USER, channelId: CHANNEL });
  fake.dispatchInteraction(interaction);
  console.log(`\n### user: ${label}\ngateway → INTERACTION_CREATE {"type":2,"data":{"name":"${name}","options":${JSON.stringify(options)}},"member":{"user":{"id":"${USER}"}},"channel":{"id":"${CHANNEL}"}}`);
  await fake.waitFor(() => fake.requests.length > seen);
  console.log(await settle());
};

await say('/qr text text:hi format:Text', [{ type: 1, name: 'text', options: [{ type: 3, name: 'text', value: 'hi' }, { type: 3, name: 'format', value: 'text' }] }], 'qr');
await say('/qr url url:example.com', [{ type: 1, name: 'url', options: [{ type: 3, name: 'url', value: 'example.com' }] }], 'qr');
await say('/train family:char_lstm size:small corpus_file_id:ab12… budget_s:60', [
  { type: 3, name: 'family', value: 'char_lstm' }, { type: 3, name: 'size', value: 'small' },
  { type: 3, name: 'corpus_file_id', value: 'ab12'.repeat(16) }, { type: 4, name: 'budget_s', value: 60 },
], 'train');
const run = [...trainer.runs.values()][0];
const publisher = new EventPublisher(redis, { namespace });
const envelope = { domain: 'trainer', job_id: run?.job_id ?? '', user_id: USER };
console.log(`\n### model-trainer's worker: XADD ${namespace}events:trainer trainer.job.progress.v1 {"progress":50,"message":"step 500/1000","payload":{"train_loss":1.72,"tokens_per_s":24000}}`);
await publisher.publish(jobProgress({ ...envelope, progress: 50, message: 'step 500/1000', payload: { train_loss: 1.72, tokens_per_s: 24000 } }));
await fake.waitFor(() => fake.requests.length > seen);
console.log(await settle());
console.log(`\n### model-trainer's worker: XADD ${namespace}events:trainer trainer.job.completed.v1 {"result":{"best_val_loss":1.58}}`);
await publisher.publish(jobCompleted({ ...envelope, result: { best_val_loss: 1.58 } }));
await fake.waitFor(() => fake.requests.length > seen);
console.log(await settle());
await say('/qr geo lat:10 lon:10 dark:#EEEEEE', [{ type: 1, name: 'geo', options: [{ type: 10, name: 'lat', value: 10 }, { type: 10, name: 'lon', value: 10 }, { type: 3, name: 'dark', value: '#EEEEEE' }] }], 'qr');

await bot.close();
await deleteKeys(redis, `${namespace}*`);
await closeRedis(redis);
await Promise.all([fake.close(), trainer.close(), qr.stop()]);
