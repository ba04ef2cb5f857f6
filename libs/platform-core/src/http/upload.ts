import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors.js';

/** RFC 2046: a boundary is 1 to 70 characters from this set, quoted when it has specials. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const MAX_CONTENT_TYPE = 256;
const MAX_FILENAME = 255;
/** How long a failed upload waits for its handler to wind down before answering anyway. */
const HANDLER_GRACE_MS = 1000;
/** A part's Content-Type: visible ASCII type/subtype and optional parameters, of a sane length. */
const PART_TYPE = /^[\x21-\x7e]+\/[\x21-\x7e]+(;[\x20-\x7e]*)?$/;

export interface MultipartUploadOptions {
  /** The file part's field name, or the names it may have (default `file`). */
  field?: string | readonly string[];
  /** Largest file in bytes (each file, for withMultipartFiles): more is answered 413 at once. */
  maxBytes: number;
  /** Names of the text fields allowed besides the file (default none); others are answered 400. */
  fields?: readonly string[];
  /** Largest text field value in bytes (default 64 KiB). */
  maxFieldBytes?: number;
  /** The whole body must have arrived within this (default 60 s); a slower client is answered 408. */
  timeoutMs?: number;
}

/** What the route learns about the uploaded file while it reads it. */
export interface UploadPart {
  stream: Readable;
  /** The client's file name without directories, at most 255 characters ('' when none was sent). */
  filename: string;
  mimetype: string;
  /** The fields sent before the file part. */
  fields: Record<string, string>;
}

export interface UploadedFile {
  path: string;
  filename: string;
  mimetype: string;
  size: number;
  /** Every allowed field of the body, including those after the file part. */
  fields: Record<string, string>;
}

/**
 * Checks a multipart Content-Type before anything is read: 415 when it is not multipart/form-data,
 * 400 when its boundary is missing or malformed, or the header is unreasonably long.
 */
export function checkMultipartContentType(header: string | undefined): void {
  if (header === undefined || !/^multipart\/form-data\s*(;|$)/i.test(header)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Expected a multipart/form-data body');
  }
  if (header.length > MAX_CONTENT_TYPE) throw new AppError('INVALID_INPUT', 'The multipart Content-Type is too long');
  const match = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(header);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined || !BOUNDARY.test(boundary)) {
    throw new AppError('INVALID_INPUT', 'The multipart Content-Type needs a valid boundary');
  }
}

const LIMIT_ERRORS: Record<string, string> = {
  FST_PARTS_LIMIT: 'The multipart body has too many parts',
  FST_FILES_LIMIT: 'The multipart body has too many files',
  FST_FIELDS_LIMIT: 'The multipart body has too many fields',
  FST_PROTO_VIOLATION: 'The multipart body has a forbidden field name',
};

/**
 * Whether the client stopped before its whole body arrived. Node's request says so in `complete`;
 * an injected request (app.inject) has no such flag and always carries its whole body.
 */
function bodyCutOff(request: FastifyRequest): boolean {
  return (request.raw.complete as boolean | undefined) === false;
}

/** Errors of the upload itself, safe to answer; the connection closes when the body was not all read. */
function uploadError(request: FastifyRequest, error: AppError): AppError {
  if (!bodyCutOff(request)) return error;
  return new AppError(error.code, error.message, {
    status: error.status,
    headers: { ...error.headers, connection: 'close' },
    cause: error.cause,
  });
}

function parserError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = LIMIT_ERRORS[(error as { code?: string }).code ?? ''];
  return new AppError('INVALID_INPUT', message ?? 'The multipart body is malformed or incomplete', { cause: error });
}

/** Carries a handler's own failure past the parser's error mapping. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super('upload handler failed');
  }
}

const incomplete = () => new AppError('INVALID_INPUT', 'The multipart body is malformed or incomplete');

function fieldValue(part: Extract<Multipart, { type: 'field' }>, allowed: ReadonlySet<string>): string {
  if (!allowed.has(part.fieldname)) throw new AppError('INVALID_INPUT', `Unexpected multipart field ${part.fieldname.slice(0, 64)}`);
  if (part.fieldnameTruncated || part.valueTruncated) {
    throw new AppError('INVALID_INPUT', `The multipart field ${part.fieldname} is too long`);
  }
  return String(part.value);
}

function checkPartType(mimetype: string): string {
  if (mimetype.length > MAX_CONTENT_TYPE || !PART_TYPE.test(mimetype)) {
    throw new AppError('INVALID_INPUT', 'The file part has an invalid Content-Type');
  }
  return mimetype;
}

/**
 * Reads a multipart body whose one file part `field` is given to `handle` as a stream (to storage,
 * into a Buffer, to a temp file); text fields must be listed in `fields`. Anything wrong with the
 * body is answered with an AppError at once: 400 for a truncated or malformed body, a bad boundary,
 * too many parts, an unknown field or a bad part Content-Type; 413 for a file over `maxBytes`
 * (the stream fails as soon as the limit is passed); 408 when the body is slower than `timeoutMs`.
 * `handle` must consume the stream, and fails when it does (so whatever it wrote can be removed).
 * The route's scope registers @fastify/multipart; limits come from here.
 */
export async function withMultipartFile<T>(
  request: FastifyRequest,
  options: MultipartUploadOptions,
  handle: (part: UploadPart) => Promise<T>,
): Promise<{ result: T; fields: Record<string, string> }> {
  const { results, fields } = await withMultipartFiles(request, { ...options, maxFiles: 1 }, handle);
  return { result: results[0] as T, fields };
}

/**
 * withMultipartFile for a body of 1 to `maxFiles` file parts (in any of `field`'s names), each given
 * to `handle` in turn, its results in body order. More files than `maxFiles` → 400; same limits otherwise.
 */
export async function withMultipartFiles<T>(
  request: FastifyRequest,
  options: MultipartUploadOptions & { maxFiles: number },
  handle: (part: UploadPart) => Promise<T>,
): Promise<{ results: T[]; fields: Record<string, string> }> {
  checkMultipartContentType(request.headers['content-type']);
  const fileFields: readonly string[] = typeof options.field === 'string' ? [options.field] : (options.field ?? ['file']);
  const field = fileFields.join(' or ');
  const allowed = new Set(options.fields ?? []);
  // The file part being read and its handler, for the deadline to stop and await.
  const current: { part?: MultipartFile | undefined; handling?: Promise<unknown> } = {};
  let timer: NodeJS.Timeout | undefined;

  let hungUp: (() => void) | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    const stop = (error: AppError) => {
      current.part?.file.destroy(error);
      reject(error);
    };
    timer = setTimeout(() => {
      stop(new AppError('REQUEST_TIMEOUT', 'The upload did not arrive in time', { status: 408 }));
    }, options.timeoutMs ?? 60_000);
    // A client that hangs up mid-body may leave the parser waiting for bytes that never come.
    hungUp = () => {
      if (bodyCutOff(request)) stop(incomplete());
    };
    if (request.raw.closed) hungUp();
    else request.raw.once('close', hungUp);
  });

  const read = async () => {
    const fields: Record<string, string> = {};
    const results: T[] = [];
    const parts = request.parts({
      limits: {
        fileSize: options.maxBytes,
        files: options.maxFiles,
        fields: allowed.size,
        parts: allowed.size + options.maxFiles,
        fieldSize: options.maxFieldBytes ?? 64 * 1024,
        fieldNameSize: 100,
        headerPairs: 20,
      },
    });
    try {
      for await (const part of parts) {
        if (part.type === 'field') {
          fields[part.fieldname] = fieldValue(part, allowed);
          continue;
        }
        if (!fileFields.includes(part.fieldname))
          throw new AppError('INVALID_INPUT', `The file must be in a multipart field named ${field}`);
        current.part = part;
        const stream = part.file;
        const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `The file exceeds ${String(options.maxBytes)} bytes`);
        // The parser may have run ahead of us: the limit passed or the body ended before the part got here.
        if (stream.truncated) throw tooLarge();
        if (stream.destroyed && !stream.readableEnded) throw incomplete();
        stream.once('limit', () => stream.destroy(tooLarge()));
        const filename = basename(part.filename).slice(0, MAX_FILENAME);
        const handling = handle({ stream, filename, mimetype: checkPartType(part.mimetype), fields: { ...fields } });
        try {
          current.handling = handling;
          results.push(await handling);
        } catch (error) {
          // The stream's own error (size, time, truncation) explains the handler's failure best;
          // anything else (storage down, a bad file) is the handler's to report.
          const streamFault = stream.errored ?? (stream.destroyed && !stream.readableEnded ? incomplete() : undefined);
          throw streamFault ?? new HandlerFailure(error);
        }
        if (!stream.readableEnded) throw incomplete();
        current.part = undefined;
      }
    } catch (error) {
      throw error instanceof HandlerFailure ? error.error : parserError(error);
    }
    // A client that hangs up ends the parts as if the body were complete: only the request knows.
    if (bodyCutOff(request)) throw incomplete();
    if (results.length === 0) throw new AppError('INVALID_INPUT', `The multipart body has no ${field} part`);
    return { results, fields };
  };

  const reading = read();
  // After the deadline wins, the abandoned read may still fail; that outcome is already answered.
  reading.catch(() => undefined);
  try {
    return await Promise.race([reading, deadline]);
  } catch (error) {
    // Let a handler stopped by the deadline finish failing before the caller removes what it wrote.
    await Promise.race([current.handling?.catch(() => undefined), sleep(HANDLER_GRACE_MS)]);
    throw error instanceof AppError ? uploadError(request, error) : error;
  } finally {
    clearTimeout(timer);
    if (hungUp) request.raw.off('close', hungUp);
  }
}

/**
 * Saves the multipart file part into a new directory under `dir` (a configured path) and returns
 * where; the directory is removed on any failure. The caller removes `dirname(path)` when done.
 */
export async function saveMultipartFile(request: FastifyRequest, options: MultipartUploadOptions & { dir: string }): Promise<UploadedFile> {
  await mkdir(options.dir, { recursive: true });
  const target = await mkdtemp(join(options.dir, 'upload-'));
  const path = join(target, 'file');
  try {
    const { result, fields } = await withMultipartFile(request, options, async (part) => {
      let size = 0;
      part.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      await pipeline(part.stream, createWriteStream(path));
      return { filename: part.filename, mimetype: part.mimetype, size };
    });
    return { path, ...result, fields };
  } catch (error) {
    await rm(target, { recursive: true, force: true });
    throw error;
  }
}
