// Test utility for other packages: the real data-bank-api as a child process (DESIGN.md section 9:
// end-to-end tests start the real processes). Import as `data-bank-api/testing`.
import { createDataBankClient, type DataBankClient } from '@platform/core';
import { freePort, waitForHealthy } from '@platform/testing';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DataBankProcess {
  url: string;
  apiKey: string;
  root: string;
  client: DataBankClient;
  /** SIGTERM, wait for the exit, remove the store. */
  stop(): Promise<void>;
}

/** Starts data-bank-api from its sources on a free port, storing in a new temp dir, with one all-permission key. */
export async function startDataBankProcess(options: { apiKey?: string; env?: Record<string, string> } = {}): Promise<DataBankProcess> {
  const apiKey = options.apiKey ?? 'test-data-bank-key';
  const root = await mkdtemp(join(tmpdir(), 'data-bank-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_BANK_ROOT: root,
      DATA_BANK_UPLOAD_KEYS: apiKey,
      DATA_BANK_MIN_FREE_BYTES: '0',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${url}/healthz`, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    apiKey,
    root,
    client: createDataBankClient({ baseUrl: url, apiKey }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
