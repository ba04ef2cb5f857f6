import { FileRecord, HttpClient, HttpError, type DataBankClient } from '@platform/core';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** The part of the data-bank client this service uses. */
export type DataBank = Pick<DataBankClient, 'upload' | 'head' | 'stream'>;

/**
 * A minimal client of data-bank-api's documented contract (DESIGN.md section 6) for the three calls
 * this service makes. It stands in until @platform/core exports its typed client.
 */
export function createDataBank(baseUrl: string, apiKey: string): DataBank {
  const http = new HttpClient({ baseUrl, timeoutMs: 120_000, headers: apiKey ? { 'x-api-key': apiKey } : {} });
  return {
    async upload(source, options = {}) {
      if (source.kind !== 'path') throw new Error('this data-bank client uploads files by path only');
      const { size } = await stat(source.path);
      const body = Readable.toWeb(createReadStream(source.path)) as ReadableStream<Uint8Array>;
      const response = await http.request('/v1/files', {
        method: 'POST',
        body,
        headers: { 'content-type': options.contentType ?? 'application/octet-stream', 'content-length': String(size) },
        timeoutMs: 600_000,
      });
      const record = FileRecord.parse(await response.json());
      return { ...record, created: response.status === 201 };
    },
    async head(fileId) {
      const response = await http.request(`/v1/files/${fileId}`, { method: 'HEAD', acceptStatus: [404] });
      if (response.status === 404) return undefined;
      const headers = response.headers;
      return FileRecord.parse({
        file_id: fileId,
        sha256: fileId,
        size: Number(headers.get('content-length') ?? '0'),
        content_type: headers.get('content-type') ?? 'application/octet-stream',
        created_at: headers.get('last-modified') ?? new Date(0).toISOString(),
      });
    },
    async stream(fileId) {
      const response = await http.request(`/v1/files/${fileId}`);
      if (!response.body) throw new HttpError('GET', http.url(`/v1/files/${fileId}`), 502, undefined, 'empty body');
      return response.body;
    },
  };
}
