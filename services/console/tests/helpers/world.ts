// The console against the real services (data-bank, qr, handwriting-ai, turkic) and the trainer stand-in,
// all on one Redis under one namespace: what the end-to-end tests and the screenshots drive.
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, newNamespace, REDIS_URL, startConsole, type TestConsole } from './console.js';
import { startService, type ServiceProcess } from './processes.js';
import { startTrainerStandIn, type TrainerStandIn } from './trainer-stand-in.js';

export type Optional = 'turkic-api';

export interface World {
  console: TestConsole;
  bank: DataBankProcess;
  /** Optional services that did not start, with why. */
  missing: string[];
  stop(): Promise<void>;
}

export const USER_ID = '424242';
const KEYS = { bank: 'e2e-bank-key', handwritingRead: 'e2e-hw-read', handwriting: 'e2e-hw-api', trainer: 'e2e-trainer', turkic: 'e2e-turkic' };

export async function startWorld(options: { with?: Optional[] } = {}): Promise<World> {
  const namespace = newNamespace();
  const scratch = await mkdtemp(join(tmpdir(), 'console-e2e-'));
  const [bank] = await Promise.all([startDataBankProcess({ apiKey: KEYS.bank }), buildWeb()]);
  const shared = { REDIS_URL, DATA_BANK_URL: bank.url, DATA_BANK_API_KEY: KEYS.bank, LOG_LEVEL: 'info' };
  const started: ServiceProcess[] = [];
  const missing: string[] = [];
  let trainer: TrainerStandIn | undefined;
  let console: TestConsole | undefined;
  const redis = createRedis(REDIS_URL, 'command');
  const stop = async () => {
    await console?.close();
    await trainer?.stop();
    await closeRedis(redis);
    await Promise.all(started.map((service) => service.stop()));
    await bank.stop();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const starting = [
      startService('qr-api', shared),
      startService('handwriting-ai', {
        ...shared,
        HANDWRITING_READ_KEYS: KEYS.handwritingRead,
        HANDWRITING_API_KEYS: KEYS.handwriting,
        HANDWRITING_MODELS_DIR: join(scratch, 'handwriting'),
        HANDWRITING_REGISTRY_PREFIX: `${namespace}ml:models`,
        HANDWRITING_QUEUE_PREFIX: `${namespace}bull`,
        HANDWRITING_EVENTS_NAMESPACE: namespace,
      }),
    ];
    // Optional services are best effort (the screenshots show a page whose service is down, too).
    const optional = options.with?.includes('turkic-api')
      ? startService('turkic-api', { ...shared, TURKIC_API_KEYS: KEYS.turkic, TURKIC_QUEUE_PREFIX: `${namespace}bull`, TURKIC_EVENTS_NAMESPACE: namespace }).catch((error: unknown) => {
          missing.push(`turkic-api: ${String(error).slice(0, 300)}`);
          return undefined;
        })
      : Promise.resolve(undefined);
    const results = await Promise.allSettled(starting);
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
    const turkic = await optional;
    if (turkic) started.push(turkic);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [qr, handwriting] = started;
    trainer = await startTrainerStandIn({ apiKey: KEYS.trainer, redis, namespace, userId: USER_ID });
    console = await startConsole(
      {
        DATA_BANK_URL: bank.url,
        DATA_BANK_API_KEY: KEYS.bank,
        QR_API_URL: qr?.url ?? '',
        HANDWRITING_AI_URL: handwriting?.url ?? '',
        HANDWRITING_READ_KEYS: KEYS.handwritingRead,
        HANDWRITING_API_KEYS: KEYS.handwriting,
        MODEL_TRAINER_URL: trainer.url,
        TRAINER_API_KEYS: KEYS.trainer,
        CONSOLE_USER_ID: USER_ID,
        TURKIC_API_KEYS: KEYS.turkic,
        ...(turkic && { TURKIC_API_URL: turkic.url }),
      },
      namespace,
    );
    return { console, bank, missing, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
