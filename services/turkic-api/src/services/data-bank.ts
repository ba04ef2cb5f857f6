import { createDataBankClient, type DataBankClient } from '@platform/core';

/** The part of the data-bank client this service uses. */
export type DataBank = Pick<DataBankClient, 'upload' | 'head' | 'stream'>;

export function createDataBank(baseUrl: string, apiKey: string): DataBank {
  return createDataBankClient({ baseUrl, apiKey });
}
