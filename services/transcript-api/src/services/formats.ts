import type { OutputFormat, Segment } from '../models/transcript.js';

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

export const segmentsText = (segments: Segment[]): string =>
  segments
    .map((segment) => segment.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

export function toSrt(segments: Segment[]): string {
  return segments.map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${s.text}\n`).join('\n');
}

export function toVtt(segments: Segment[]): string {
  const cues = segments.map((s) => `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${s.text}\n`);
  return ['WEBVTT\n', ...cues].join('\n');
}

export const CONTENT_TYPES: Record<Exclude<OutputFormat, 'json'>, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
};

/** The text renderings of a transcript; json is the caller's own document. */
export function render(format: Exclude<OutputFormat, 'json'>, segments: Segment[]): string {
  if (format === 'srt') return toSrt(segments);
  if (format === 'vtt') return toVtt(segments);
  return `${segmentsText(segments)}\n`;
}
