import { UserError } from '@platform/workers';
import { join } from 'node:path';
import { z } from 'zod';
import { runProcess } from './process.js';
import type { ChunkFormat } from './provider.js';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

const Probe = z.object({
  format: z.object({ duration: z.coerce.number().optional(), format_name: z.string().optional() }).optional(),
  streams: z
    .array(z.object({ codec_type: z.string().optional(), duration: z.coerce.number().optional() }))
    .default([]),
});

export interface MediaInfo {
  durationS: number;
  format: string;
}

/** Duration and container of a media file; files that are not media or have no audio are the user's problem. */
export async function probe(tools: MediaTools, path: string, signal?: AbortSignal): Promise<MediaInfo> {
  const args = [
    '-v',
    'error',
    '-show_entries',
    'format=duration,format_name:stream=codec_type,duration',
    '-of',
    'json',
    path,
  ];
  const result = await runProcess(tools.ffprobe, args, signal);
  if (result.code !== 0) {
    throw new UserError(`The file is not a readable audio or video file (${lastLine(result.stderr)})`);
  }
  const info = Probe.parse(JSON.parse(result.stdout));
  const audio = info.streams.find((stream) => stream.codec_type === 'audio');
  if (!audio) throw new UserError('The file has no audio stream');
  const durationS = info.format?.duration ?? audio.duration ?? NaN;
  if (!Number.isFinite(durationS) || durationS <= 0)
    throw new UserError('The duration of the file cannot be determined');
  return { durationS, format: info.format?.format_name ?? 'unknown' };
}

export interface Silence {
  start: number;
  end: number;
}

export interface SilenceOptions {
  noiseDb: number;
  minSilenceS: number;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';

/** Parses ffmpeg's silencedetect log lines into silence intervals. */
export function parseSilences(log: string, durationS: number): Silence[] {
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

/** One decode pass: writes mono 16 kHz 16-bit WAV and detects silences on the way. */
export async function normalise(
  tools: MediaTools,
  input: string,
  output: string,
  durationS: number,
  options: SilenceOptions,
  signal?: AbortSignal,
): Promise<Silence[]> {
  const filter = `silencedetect=noise=${options.noiseDb}dB:duration=${options.minSilenceS}`;
  const args = ['-hide_banner', '-nostats', '-v', 'info', '-y', '-i', input, '-vn', '-af', filter];
  args.push('-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', output);
  const result = await runProcess(tools.ffmpeg, args, signal);
  if (result.code !== 0) throw new UserError(`The audio could not be decoded (${lastLine(result.stderr)})`);
  return parseSilences(result.stderr, durationS);
}

export interface ChunkFile {
  path: string;
  start: number;
  end: number;
}

const ENCODER: Record<ChunkFormat, string> = { wav: 'pcm_s16le', flac: 'flac' };

/**
 * Cuts the normalised WAV at the given times in one pass, writing chunks in `format`. Every chunk has its
 * own encoder (asegment feeds one output each), so FLAC headers carry each chunk's own length, and the
 * cuts are sample-exact.
 */
export async function split(
  tools: MediaTools,
  wav: string,
  cuts: number[],
  durationS: number,
  dir: string,
  format: ChunkFormat,
  signal?: AbortSignal,
): Promise<ChunkFile[]> {
  const times = cuts.map((cut) => cut.toFixed(3));
  const paths = [...times, ''].map((_, i) => join(dir, `chunk_${String(i).padStart(4, '0')}.${format}`));
  const pads = paths.map((_, i) => `[c${i}]`);
  const args = ['-hide_banner', '-v', 'error', '-y', '-i', wav];
  if (cuts.length > 0)
    args.push('-filter_complex', `[0:a]asegment=timestamps=${times.join('|')}${pads.join('')}`);
  paths.forEach((path, i) => {
    args.push('-map', cuts.length > 0 ? (pads[i] ?? '') : '0:a', '-c:a', ENCODER[format], path);
  });
  const result = await runProcess(tools.ffmpeg, args, signal);
  if (result.code !== 0) throw new Error(`ffmpeg could not split the audio: ${lastLine(result.stderr)}`);
  const bounds = [0, ...times.map(Number), durationS];
  return paths.map((path, i) => ({ path, start: bounds[i] ?? 0, end: bounds[i + 1] ?? durationS }));
}
