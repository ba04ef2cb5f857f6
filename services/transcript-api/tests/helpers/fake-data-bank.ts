import { createHash } from 'node:crypto';
import { listen, readMultipart, sendJson, type LocalServer } from './http.js';

export interface FakeDataBank extends LocalServer {
  files: Map<string, { data: Buffer; contentType: string }>;
  apiKeys: string[];
}

/**
 * data-bank-api's contract (DESIGN.md section 6) in memory: POST /v1/files (multipart field `file`),
 * GET and HEAD /v1/files/{id}, with X-API-Key checked.
 */
export async function fakeDataBank(apiKey = 'bank-key'): Promise<FakeDataBank> {
  const files = new Map<string, { data: Buffer; contentType: string }>();
  const server = await listen(async (request, response) => {
    if (request.headers['x-api-key'] !== apiKey) {
      sendJson(response, 401, { code: 'UNAUTHORIZED', message: 'no key', request_id: 'x' });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/v1/files' && request.method === 'POST') {
      const file = (await readMultipart(request)).files.get('file');
      if (!file) {
        sendJson(response, 400, { code: 'INVALID_INPUT', message: 'no file', request_id: 'x' });
        return;
      }
      const { data } = file;
      const id = createHash('sha256').update(data).digest('hex');
      const existed = files.has(id);
      files.set(id, { data, contentType: file.type });
      sendJson(response, existed ? 200 : 201, {
        file_id: id,
        size: data.length,
        sha256: id,
        content_type: file.type,
        created_at: new Date().toISOString(),
      });
      return;
    }
    const match = /^\/v1\/files\/([0-9a-f]{64})$/.exec(url.pathname);
    const file = match ? files.get(match[1] ?? '') : undefined;
    if (!file) {
      sendJson(response, 404, { code: 'NOT_FOUND', message: 'no such file', request_id: 'x' });
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.data.length,
      etag: `"${match?.[1] ?? ''}"`,
    });
    response.end(request.method === 'HEAD' ? undefined : file.data);
  });
  return Object.assign(server, { files, apiKeys: [apiKey] });
}
