import { UserError } from '@platform/workers';
import type { ScratchJob } from '@platform/core';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../json.js';
import { runProcess, toolErrorLine } from './process.js';
import type { ChunkFormat } from './provider.js';
import { wavDurationS } from './wav.js';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Where a job's tools run: its scratch dir (their process groups are recorded there) and its signal. */
export interface ToolRun {
  scratch: ScratchJob;
  signal: AbortSignal;
}

const Probe = z.object({
  format: z.object({ duration: z.coerce.number().optional(), format_name: z.string().optional() }).optional(),
  streams: z.array(z.object({ codec_type: z.string().optional(), duration: z.coerce.number().optional() })).default([]),
});

export interface MediaInfo {
  /** What the container claims; only used to refuse early, never trusted for limits or chunking. */
  claimedDurationS: number | undefined;
  format: string;
}

/** Container and claimed duration of a media file; files that are not media or have no audio are the user's problem. */
export async function probe(tools: MediaTools, path: string, run: ToolRun): Promise<MediaInfo> {
  const args = ['-v', 'error', '-show_entries', 'format=duration,format_name:stream=codec_type,duration'];
  args.push('-of', 'json', path);
  const result = await runProcess(tools.ffprobe, args, run);
  if (result.code !== 0) {
    throw new UserError(`The file is not a readable audio or video file (${toolErrorLine(result.stderr)})`);
  }
  const info = Probe.safeParse(parseJsonOrUndefined(result.stdout));
  if (!info.success) throw new UserError('The file is not a readable audio or video file');
  const audio = info.data.streams.find((stream) => stream.codec_type === 'audio');
  if (!audio) throw new UserError('The file has no audio stream');
  const claimed = info.data.format?.duration ?? audio.duration;
  return {
    claimedDurationS: claimed !== undefined && Number.isFinite(claimed) && claimed > 0 ? claimed : undefined,
    format: info.data.format?.format_name ?? 'unknown',
  };
}

export interface Silence {
  start: number;
  end: number;
}

export interface SilenceOptions {
  noiseDb: number;
  minSilenceS: number;
}

/** Parses ffmpeg's silencedetect log lines into silence intervals. */
function parseSilences(log: string, durationS: number): Silence[] {
  const silences: Silence[] = [];
  let start: number | undefined;
  for (const match of log.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
    const value = Number(match[2]);
    if (match[1] === 'start') start = Math.max(0, value);
    else if (start !== undefined) {
      silences.push({ start, end: value });
      start = undefined;
    }
  }
  if (start !== undefined) silences.push({ start, end: durationS });
  return silences;
}

export interface DecodedAudio {
  /** The decoded audio's real length, measured from the WAV. */
  durationS: number;
  silences: Silence[];
}

/** silencedetect logs two lines per silence; enough room for hours of speech with frequent pauses. */
const DECODE_LOG_BYTES = 32 * 1024 * 1024;

/**
 * One decode pass: writes mono 16 kHz 16-bit WAV and detects silences on the way. With `limitS`, the
 * decode stops after that many seconds, so a file that lies about its length never yields more.
 */
export async function normalise(
  tools: MediaTools,
  input: string,
  output: string,
  options: SilenceOptions & { limitS?: number | undefined },
  run: ToolRun,
): Promise<DecodedAudio> {
  const filter = `silencedetect=noise=${options.noiseDb}dB:duration=${options.minSilenceS}`;
  const args = ['-hide_banner', '-nostats', '-v', 'info', '-y', '-i', input, '-vn', '-af', filter];
  if (options.limitS !== undefined) args.push('-t', String(options.limitS));
  args.push('-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', output);
  const result = await runProcess(tools.ffmpeg, args, { ...run, maxOutputBytes: DECODE_LOG_BYTES });
  if (result.code !== 0) throw new UserError(`The audio could not be decoded (${toolErrorLine(result.stderr)})`);
  const durationS = await wavDurationS(output);
  return { durationS, silences: parseSilences(result.stderr, durationS) };
}

export interface ChunkFile {
  path: string;
  start: number;
  end: number;
}

const ENCODER: Record<ChunkFormat, string> = { wav: 'pcm_s16le', flac: 'flac' };

/**
 * Cuts the normalised WAV at the given times in one pass, writing chunks in `format` into the job's
 * scratch dir. Every chunk has its own encoder (asegment feeds one output each), so FLAC headers carry
 * each chunk's own length, and the cuts are sample-exact.
 */
export async function split(
  tools: MediaTools,
  wav: string,
  cuts: number[],
  durationS: number,
  format: ChunkFormat,
  run: ToolRun,
): Promise<ChunkFile[]> {
  const times = cuts.map((cut) => cut.toFixed(3));
  const paths = [...times, ''].map((_, i) => join(run.scratch.dir, `chunk_${String(i).padStart(4, '0')}.${format}`));
  const pads = paths.map((_, i) => `[c${i}]`);
  const args = ['-hide_banner', '-v', 'error', '-y', '-i', wav];
  if (cuts.length > 0) args.push('-filter_complex', `[0:a]asegment=timestamps=${times.join('|')}${pads.join('')}`);
  paths.forEach((path, i) => {
    args.push('-map', cuts.length > 0 ? (pads[i] ?? '') : '0:a', '-c:a', ENCODER[format], path);
  });
  const result = await runProcess(tools.ffmpeg, args, run);
  if (result.code !== 0) throw new Error(`ffmpeg could not split the audio: ${toolErrorLine(result.stderr)}`);
  const bounds = [0, ...times.map(Number), durationS];
  return paths.map((path, i) => ({ path, start: bounds[i] ?? 0, end: bounds[i + 1] ?? durationS }));
}
