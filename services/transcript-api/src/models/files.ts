import type { DataBankClient } from '@platform/core';
import { z } from 'zod';

/** The part of the data-bank client this service uses. */
export type FileStore = Pick<DataBankClient, 'upload' | 'head' | 'download' | 'stream'>;

export const FileId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a data-bank file id (lowercase hex SHA-256)');
