import { DataBankNotFoundError, type DataBankClient } from '@platform/core';
import { UserError } from '@platform/workers';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from './documents.js';

/** Downloads a corpus (verified by the client) into `work` and reads it; unknown or oversized ids are user errors. */
export async function fetchCorpus(dataBank: DataBankClient, fileId: string, work: string, maxBytes: number): Promise<Buffer> {
  const info = await dataBank.head(fileId);
  if (!info) throw new UserError(`corpus file ${fileId} is not in data-bank`);
  if (info.size > maxBytes) throw new UserError(`the corpus is ${String(info.size)} bytes; at most ${String(maxBytes)} are accepted`);
  const path = join(work, 'corpus');
  await dataBank.download(fileId, path).catch((error: unknown) => {
    throw error instanceof DataBankNotFoundError ? new UserError(`corpus file ${fileId} is not in data-bank`) : error;
  });
  return readFile(path);
}

/** Corpus problems (empty, not UTF-8, bad gzip or jsonl) are the user's: the job fails as `user`, unretried. */
export async function asUserErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CorpusError) throw new UserError(error.message);
    throw error;
  }
}
