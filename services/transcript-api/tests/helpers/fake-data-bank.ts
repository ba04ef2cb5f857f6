import { createHash } from 'node:crypto';
import { listen, readBody, sendJson, type LocalServer } from './http.js';

export interface FakeDataBank extends LocalServer {
  files: Map<string, { data: Buffer; contentType: string; created: Date }>;
}

const envelope = (code: string, message: string) => ({ code, message, request_id: 'fake' });

/**
 * data-bank-api's contract (DESIGN.md section 6) in memory: POST /v1/files and PUT /v1/files/{sha256}
 * with a raw body, GET and HEAD /v1/files/{id} with ETag and Last-Modified, GET /v1/files/{id}/info;
 * X-API-Key checked.
 */
export async function fakeDataBank(apiKey = 'bank-key'): Promise<FakeDataBank> {
  const files = new Map<string, { data: Buffer; contentType: string; created: Date }>();
  const server = await listen(async (request, response) => {
    if (request.headers['x-api-key'] !== apiKey) {
      sendJson(response, 401, envelope('UNAUTHORIZED', 'no key'));
      return;
    }
    const url = new URL(request.url ?? '/', 'http://x');
    const match = /^\/v1\/files\/([0-9a-f]{64})$/.exec(url.pathname);
    const putId = request.method === 'PUT' ? match?.[1] : undefined;
    if ((url.pathname === '/v1/files' && request.method === 'POST') || putId !== undefined) {
      const data = await readBody(request);
      const id = createHash('sha256').update(data).digest('hex');
      if (putId !== undefined && putId !== id) {
        sendJson(response, 400, envelope('INVALID_INPUT', 'hash mismatch'));
        return;
      }
      const existing = files.get(id);
      const created = existing?.created ?? new Date();
      files.set(id, {
        data,
        contentType: request.headers['content-type'] ?? 'application/octet-stream',
        created,
      });
      sendJson(response, existing ? 200 : 201, {
        file_id: id,
        size: data.length,
        sha256: id,
        content_type: request.headers['content-type'],
        created_at: created.toISOString(),
      });
      return;
    }
    const info = /^\/v1\/files\/([0-9a-f]{64})\/info$/.exec(url.pathname);
    const described = info ? files.get(info[1] ?? '') : undefined;
    if (info && described && request.method === 'GET') {
      const id = info[1] ?? '';
      const record = {
        file_id: id,
        size: described.data.length,
        sha256: id,
        content_type: described.contentType,
      };
      sendJson(response, 200, { ...record, created_at: described.created.toISOString() });
      return;
    }
    const file = match ? files.get(match[1] ?? '') : undefined;
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      sendJson(response, 404, envelope('NOT_FOUND', 'no such file'));
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.data.length,
      etag: `"${match?.[1] ?? ''}"`,
      'last-modified': file.created.toUTCString(),
      'accept-ranges': 'bytes',
    });
    response.end(request.method === 'HEAD' ? undefined : file.data);
  });
  return Object.assign(server, { files });
}
