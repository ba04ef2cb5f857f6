// Test utility for other packages: the real data-bank-api as a child process (DESIGN.md section 9:
// end-to-end tests start the real processes). Import as `data-bank-api/testing`.
import { createDataBankClient, type DataBankClient } from '@platform/core';
import { startServiceProcess } from '@platform/testing';
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
  const env = { DATA_BANK_ROOT: root, DATA_BANK_UPLOAD_KEYS: apiKey, DATA_BANK_MIN_FREE_BYTES: '0', ...options.env };
  const service = await startServiceProcess({ cwd: fileURLToPath(new URL('..', import.meta.url)), env, echoStderr: true }).catch(
    async (error: unknown) => {
      await rm(root, { recursive: true, force: true });
      throw error;
    },
  );
  return {
    url: service.url,
    apiKey,
    root,
    client: createDataBankClient({ baseUrl: service.url, apiKey }),
    stop: async () => {
      await service.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
