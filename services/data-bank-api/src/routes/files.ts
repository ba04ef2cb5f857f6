import multipart from '@fastify/multipart';
import { AppError, invalidInput, notFound, withMultipartFile, type FileRecord, type PlatformApp } from '@platform/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  checkContentType,
  declaredSha256,
  decodeCursor,
  encodeCursor,
  FileIdParams,
  FileList,
  FileRecord as FileRecordSchema,
  ListQuery,
} from '../models/files.js';
import type { FileStore, SaveOutcome } from '../services/file-store.js';
import { evaluateRange, notModified, rangeStillValid } from '../services/http-ranges.js';

export interface FilesRouteDeps {
  store: FileStore;
  /** Multipart uploads: the largest file (0 = none) and how long the whole body may take to arrive. */
  uploads: { maxFileBytes: number; timeoutMs: number };
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const security = [{ apiKey: [] }];

/** A raw body: the bytes with their Content-Type. */
function receiveRaw(request: FastifyRequest, store: FileStore, options: { expectedSha256?: string }) {
  const length = Number(request.headers['content-length']);
  return store.save(request.raw, {
    ...options,
    contentType: checkContentType(request.headers['content-type']),
    ...(Number.isSafeInteger(length) && { declaredBytes: length }),
  });
}

/**
 * The `file` part of a multipart body, hashed and written while it streams, published only once the
 * rest of the body proved sound: a malformed, truncated or late body is a 4xx with nothing kept.
 */
function receiveMultipart(request: FastifyRequest, deps: FilesRouteDeps, options: { expectedSha256?: string }): Promise<SaveOutcome> {
  const { maxFileBytes, timeoutMs } = deps.uploads;
  const limits = { maxBytes: maxFileBytes || Number.MAX_SAFE_INTEGER, timeoutMs };
  return deps.store.saveWhenComplete(options, async (stage) => {
    const { result } = await withMultipartFile(request, limits, (part) => stage(part.stream, checkContentType(part.mimetype)));
    return result;
  });
}

async function receive(request: FastifyRequest, reply: FastifyReply, deps: FilesRouteDeps, expectedSha256: string | undefined) {
  const options = expectedSha256 === undefined ? {} : { expectedSha256 };
  const { record, created } = request.isMultipart()
    ? await receiveMultipart(request, deps, options)
    : await receiveRaw(request, deps.store, options);
  return reply
    .status(created ? 201 : 200)
    .header('location', `/v1/files/${record.file_id}`)
    .send(record);
}

async function serve(store: FileStore, id: string, request: FastifyRequest, reply: FastifyReply, withBody: boolean) {
  const record = await store.stat(id);
  if (!record) throw notFound('file not found');
  const etag = `"${record.sha256}"`;
  const lastModified = new Date(record.created_at);
  const validators = { etag, 'last-modified': lastModified.toUTCString(), 'cache-control': IMMUTABLE };
  const { headers } = request;
  if (notModified({ ifNoneMatch: headers['if-none-match'], ifModifiedSince: headers['if-modified-since'] }, etag, lastModified)) {
    return reply.status(304).headers(validators).send();
  }
  const ifRange = headers['if-range'];
  const range = evaluateRange(
    rangeStillValid(Array.isArray(ifRange) ? ifRange[0] : ifRange, etag, lastModified) ? headers.range : undefined,
    record.size,
  );
  if (range.kind === 'unsatisfiable') {
    throw new AppError('RANGE_NOT_SATISFIABLE', `no satisfiable range in ${record.size} bytes`, {
      headers: { 'content-range': `bytes */${record.size}` },
    });
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, record.size - 1];
  void reply.headers({
    ...validators,
    'accept-ranges': 'bytes',
    'content-type': record.content_type,
    'content-length': end - start + 1,
  });
  if (range.kind === 'partial') void reply.status(206).header('content-range', `bytes ${start}-${end}/${record.size}`);
  if (!withBody || record.size === 0) return reply.send();
  const body = await store.openRange(id, start, end);
  if (!body) throw notFound('file not found');
  return reply.send(body);
}

/** The /v1/files resource. Registered in its own context: it takes every body as a stream. */
export async function filesRoutes(app: PlatformApp, deps: FilesRouteDeps): Promise<void> {
  const { store } = deps;

  // An answer sent before the body was read (auth, limits, a mismatch) closes the connection: Node
  // would otherwise read and discard the rest of a possibly huge body to keep the connection alive.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete) void reply.header('connection', 'close');
    done(null, payload);
  });

  // Bodies are files: nothing is parsed or buffered by Fastify; routes stream them to storage.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(null);
  });
  // Limits are withMultipartFile's, per request.
  await app.register(multipart);

  const record = { 200: FileRecordSchema, 201: FileRecordSchema };

  app.post(
    '/v1/files',
    {
      config: { auth: 'upload' },
      schema: { summary: 'Upload a file (multipart part "file" or raw body)', security, response: record },
    },
    (request, reply) => receive(request, reply, deps, declaredSha256(request.headers['x-content-sha256'])),
  );

  app.put(
    '/v1/files/:id',
    {
      config: { auth: 'upload' },
      schema: {
        summary: 'Upload a file under its known SHA-256 (idempotent)',
        security,
        params: FileIdParams,
        response: record,
      },
    },
    (request, reply) => {
      const declared = declaredSha256(request.headers['x-content-sha256']);
      if (declared !== undefined && declared !== request.params.id) throw invalidInput('X-Content-SHA256 differs from the file id');
      return receive(request, reply, deps, request.params.id);
    },
  );

  const download = { config: { auth: 'read' }, schema: { params: FileIdParams, security } };
  app.get('/v1/files/:id', { ...download, exposeHeadRoute: false }, (request, reply) =>
    serve(store, request.params.id, request, reply, true),
  );
  app.head('/v1/files/:id', download, (request, reply) => serve(store, request.params.id, request, reply, false));

  app.get(
    '/v1/files/:id/info',
    {
      config: { auth: 'read' },
      schema: {
        summary: 'The record of a file',
        security,
        params: FileIdParams,
        response: { 200: FileRecordSchema },
      },
    },
    async (request): Promise<FileRecord> => {
      const found = await store.stat(request.params.id);
      if (!found) throw notFound('file not found');
      return found;
    },
  );

  app.get(
    '/v1/files',
    {
      config: { auth: 'read' },
      schema: {
        summary: 'List files in id order',
        security,
        querystring: ListQuery,
        response: { 200: FileList },
      },
    },
    async (request): Promise<FileList> => {
      const { limit, cursor, prefix } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const page = await store.list({ limit, ...(after && { after }), ...(prefix && { prefix }) });
      const last = page.records.at(-1);
      return {
        files: page.records,
        next_cursor: page.more && last ? encodeCursor(last.file_id) : null,
        total_bytes: page.records.reduce((sum, file) => sum + file.size, 0),
      };
    },
  );

  app.delete(
    '/v1/files/:id',
    {
      config: { auth: 'delete' },
      schema: { summary: 'Delete a file', security, params: FileIdParams },
    },
    async (request, reply) => {
      if (!(await store.delete(request.params.id))) throw notFound('file not found');
      return reply.status(204).send();
    },
  );
}
