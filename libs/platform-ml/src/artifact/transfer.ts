import type { DataBankClient } from '@platform/core';
import { sha256OfFile } from './manifest.js';

export const ARTIFACT_CONTENT_TYPE = 'application/x-xz';

/** Uploads a packed artifact by its SHA-256 (an idempotent, retried PUT); the file id is that hash. */
export async function uploadArtifact(dataBank: DataBankClient, file: string): Promise<{ file_id: string; bytes: number }> {
  const sha256 = await sha256OfFile(file);
  const record = await dataBank.upload({ kind: 'path', path: file }, { contentType: ARTIFACT_CONTENT_TYPE, sha256 });
  return { file_id: record.file_id, bytes: record.size };
}

/** Downloads an artifact to `destFile` (resumed and hash-verified by the client; renamed into place). */
export async function downloadArtifact(
  dataBank: DataBankClient,
  fileId: string,
  destFile: string,
): Promise<{ file_id: string; bytes: number }> {
  const record = await dataBank.download(fileId, destFile);
  return { file_id: record.file_id, bytes: record.size };
}
