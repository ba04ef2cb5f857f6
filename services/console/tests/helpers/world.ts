// The console against the real services it is asked for (data-bank always), all on one Redis under one
// namespace, with local fakes for what is outside: what the end-to-end tests and the screenshots drive.
import { isolatedRedisPrefix } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, REDIS_URL, startConsole, type TestConsole } from './console.js';
import { startWorldService, type StartedService, type WorldService } from './services.js';

export interface World {
  console: TestConsole;
  bank: DataBankProcess;
  /** Services that did not start (best effort only), with why. */
  missing: string[];
  stop(): Promise<void>;
}

export const USER_ID = '424242';
const BANK_KEY = 'e2e-bank-key';

export interface WorldOptions {
  services: WorldService[];
  /** Screenshots: a service that does not start is listed in `missing` and its page shows it down. */
  bestEffort?: boolean;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  // Every service's queue prefix, event namespace and keys start with it; they are deleted at the end.
  const keys = isolatedRedisPrefix('console-world');
  const namespace = `${keys.prefix}:`;
  const scratch = await mkdtemp(join(tmpdir(), 'console-e2e-'));
  const [bank] = await Promise.all([startDataBankProcess({ apiKey: BANK_KEY }), buildWeb()]);
  const shared = { REDIS_URL, DATA_BANK_URL: bank.url, DATA_BANK_API_KEY: BANK_KEY };
  const started: StartedService[] = [];
  const missing: string[] = [];
  let console: TestConsole | undefined;
  const stop = async () => {
    await console?.close();
    await Promise.all(
      started.flatMap((service) => [...service.processes.map((process) => process.stop()), ...service.fakes.map((fake) => fake.close())]),
    );
    await bank.stop();
    const redis = createRedis(REDIS_URL, 'command');
    await keys.cleanup(redis);
    await closeRedis(redis);
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const results = await Promise.allSettled(options.services.map((name) => startWorldService(name, { namespace, scratch, shared })));
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') started.push(result.value);
      else missing.push(`${options.services[index] ?? ''}: ${String(result.reason).slice(0, 300)}`);
    });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed && options.bestEffort !== true) throw failed.reason;
    console = await startConsole(
      {
        REDIS_URL,
        DATA_BANK_URL: bank.url,
        DATA_BANK_API_KEY: BANK_KEY,
        CONSOLE_USER_ID: USER_ID,
        ...Object.fromEntries(started.flatMap((service) => Object.entries(service.consoleEnv))),
      },
      namespace,
    );
    return { console, bank, missing, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
