import { dataBankFailure, type ScratchArea, type ScratchJob } from '@platform/core';
import { handleJob, UserError } from '@platform/workers';
import { transcriptionJob } from '../jobs/transcribe.js';
import { join } from 'node:path';
import { TranscriptionJobData, type TranscriptionJobResult } from '../models/jobs.js';
import type { TranscriptionResult } from '../models/transcript.js';
import type { FileStore } from '../models/files.js';
import { toSrt, toVtt } from '../services/formats.js';
import { transcribeFile, type PipelineOptions } from '../services/stt/pipeline.js';
import { downloadYouTubeAudio } from '../services/stt/youtube-audio.js';

export interface TranscriptionDeps {
  store: FileStore;
  pipeline: PipelineOptions;
  ytdlp: string;
  /** Where each job gets its scratch dir (under TRANSCRIPT_TMP_DIR); the worker sweeps it at start. */
  scratch: ScratchArea;
  timeoutMs: number;
}

async function fetchSource(deps: TranscriptionDeps, data: TranscriptionJobData, scratch: ScratchJob, signal: AbortSignal): Promise<string> {
  if (data.source.kind === 'youtube') return downloadYouTubeAudio(deps.ytdlp, data.source.video_id, scratch, signal);
  const path = join(scratch.dir, 'source');
  if (!(await deps.store.head(data.source.file_id))) throw new UserError(`data-bank has no file ${data.source.file_id}`);
  await deps.store.download(data.source.file_id, path);
  return path;
}

async function store(deps: TranscriptionDeps, result: TranscriptionResult) {
  const upload = (text: string, contentType: string) =>
    deps.store.upload({ kind: 'buffer', data: Buffer.from(text, 'utf8') }, { contentType });
  const [json, srt, vtt] = await Promise.all([
    upload(JSON.stringify(result), 'application/json'),
    upload(toSrt(result.segments), 'application/x-subrip'),
    upload(toVtt(result.segments), 'text/vtt'),
  ]);
  return { json, srt, vtt };
}

/** Runs transcription jobs (the worker process only): fetch the source, transcribe it, store the formats. */
export function transcriptionHandler(deps: TranscriptionDeps) {
  // The job's time limit is the worker's setting (TRANSCRIPT_JOB_TIMEOUT_S).
  return handleJob({ ...transcriptionJob, timeoutMs: deps.timeoutMs }, async (data, context) => {
    const scratch = await deps.scratch.createJob();
    try {
      await context.progress(2, data.source.kind === 'youtube' ? 'downloading audio' : 'fetching file');
      const input = await fetchSource(deps, data, scratch, context.signal);
      await context.progress(10, 'preparing audio');
      const result = await transcribeFile(deps.pipeline, {
        input,
        scratch,
        language: data.language,
        prompt: data.prompt,
        signal: context.signal,
        onPlan: (chunks, durationS) => context.progress(15, `transcribing ${chunks} chunk(s)`, { chunks, duration_s: durationS }),
        onChunk: (done, total) =>
          context.progress(15 + Math.floor((80 * done) / total), `chunk ${done}/${total}`, {
            chunk: done,
            chunks: total,
          }),
      });
      await context.progress(96, 'storing result');
      const files = await store(deps, result);
      const summary: TranscriptionJobResult = {
        files: { json: files.json.file_id, srt: files.srt.file_id, vtt: files.vtt.file_id },
        format: data.format,
        language: result.language,
        duration_s: result.duration_s,
        provider: result.provider,
        segments: result.segments.length,
        characters: result.text.length,
      };
      return { result_id: files.json.file_id, result_bytes: files.json.size, result: summary };
    } catch (error) {
      // data-bank down is a system error whose message names no URL (the worker logs the cause).
      throw dataBankFailure(error);
    } finally {
      await scratch.dispose();
    }
  });
}
