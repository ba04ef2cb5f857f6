import { AppError, dataBankFailure, saveMultipartFile, UserId, type ScratchArea } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Language, type TranscriptionSource } from '../models/jobs.js';
import { FileId, type FileStore } from '../models/files.js';
import { OutputFormat } from '../models/transcript.js';
import { parseYouTubeUrl } from '../models/youtube-url.js';

const Options = z.object({
  language: Language.optional(),
  prompt: z.string().max(2000).optional(),
  format: OutputFormat.default('json'),
  user_id: UserId.default('0'),
});
type Options = z.output<typeof Options>;

const JsonBody = Options.extend({
  youtube_url: z.string().max(2048).optional(),
  data_bank_file_id: FileId.optional(),
});

/** The form fields an upload may carry besides `file`: the job's options. */
const OPTION_FIELDS = Object.keys(Options.shape);
const UPLOAD_TYPES = /^(audio|video)\/|^application\/(octet-stream|ogg|mp4)$/;

export interface SourceDeps {
  store: FileStore;
  /** Scratch dirs for uploads (under TRANSCRIPT_TMP_DIR). */
  scratch: ScratchArea;
  uploads: { maxBytes: number; timeoutMs: number };
}

export interface RequestedJob {
  source: TranscriptionSource;
  options: Options;
}

function invalid(error: z.ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new AppError('INVALID_INPUT', `Invalid request: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
}

const fromDataBank = <T>(work: Promise<T>): Promise<T> =>
  work.catch((error: unknown) => {
    throw dataBankFailure(error);
  });

/**
 * Saves the `file` part in a scratch dir under TRANSCRIPT_TMP_DIR (removed on every path, and swept
 * after a crash), then stores it in data-bank so a worker on any machine can read it; the other
 * fields are the options. A truncated, boundary-less or over-fielded body is a 400 at once.
 */
export async function uploadSource(request: FastifyRequest, deps: SourceDeps): Promise<RequestedJob> {
  const scratch = await deps.scratch.createJob();
  try {
    const upload = await saveMultipartFile(request, {
      dir: scratch.dir,
      maxBytes: deps.uploads.maxBytes,
      fields: OPTION_FIELDS,
      maxFieldBytes: 4096,
      timeoutMs: deps.uploads.timeoutMs,
    });
    if (!UPLOAD_TYPES.test(upload.mimetype)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Expected an audio or video file');
    const options = Options.safeParse(upload.fields);
    if (!options.success) throw invalid(options.error);
    const stored = await fromDataBank(deps.store.upload({ kind: 'path', path: upload.path }, { contentType: upload.mimetype }));
    const filename = upload.filename;
    return {
      source: { kind: 'data_bank', file_id: stored.file_id, ...(filename !== '' && { filename }) },
      options: options.data,
    };
  } finally {
    await scratch.dispose();
  }
}

/** A JSON body names one source: a YouTube URL or a file already in data-bank (checked at once). */
export async function jsonSource(body: unknown, store: FileStore): Promise<RequestedJob> {
  const parsed = JsonBody.safeParse(body ?? {});
  if (!parsed.success) throw invalid(parsed.error);
  const { youtube_url: youtubeUrl, data_bank_file_id: fileId, ...options } = parsed.data;
  if (youtubeUrl !== undefined && fileId === undefined)
    return { source: { kind: 'youtube', video_id: parseYouTubeUrl(youtubeUrl) }, options };
  if (fileId === undefined || youtubeUrl !== undefined) {
    throw new AppError('INVALID_INPUT', 'Give exactly one source: youtube_url, data_bank_file_id, or a multipart upload');
  }
  if (!(await fromDataBank(store.head(fileId)))) throw new AppError('NOT_FOUND', `data-bank has no file ${fileId}`);
  return { source: { kind: 'data_bank', file_id: fileId }, options };
}
