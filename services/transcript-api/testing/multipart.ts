import { Busboy } from '@fastify/busboy';
import type { IncomingMessage } from 'node:http';

export interface MultipartBody {
  fields: Map<string, string[]>;
  files: Map<string, { data: Buffer; filename: string; type: string }>;
}

/** Parses a multipart/form-data request the way a server does (busboy). */
export function readMultipart(request: IncomingMessage): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const body: MultipartBody = { fields: new Map(), files: new Map() };
    const parser = Busboy({
      headers: { ...request.headers, 'content-type': request.headers['content-type'] ?? '' },
    });
    parser.on('field', (name, value) => {
      body.fields.set(name, [...(body.fields.get(name) ?? []), value]);
    });
    parser.on('file', (name, stream, filename, _encoding, type) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        body.files.set(name, { data: Buffer.concat(chunks), filename, type });
      });
    });
    parser.on('finish', () => {
      resolve(body);
    });
    parser.on('error', reject);
    request.pipe(parser);
  });
}
