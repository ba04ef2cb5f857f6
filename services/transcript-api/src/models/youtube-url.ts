import { AppError } from '@platform/core';

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);
const SHORT_HOSTS = new Set(['youtu.be', 'www.youtu.be']);
/** Path prefixes followed by the video id: /shorts/ID, /embed/ID, /live/ID, /v/ID, /e/ID. */
const ID_PREFIXES = new Set(['shorts', 'embed', 'live', 'v', 'e']);

const invalid = (code: string, message: string) => new AppError(code, message, { status: 400 });

function idFrom(url: URL): string | undefined {
  const host = url.hostname.toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean);
  if (SHORT_HOSTS.has(host)) return parts[0];
  if (!YOUTUBE_HOSTS.has(host)) {
    throw invalid('YOUTUBE_URL_UNSUPPORTED', 'Only YouTube URLs are supported');
  }
  if (parts[0] === 'watch' && parts.length === 1) return url.searchParams.get('v') ?? undefined;
  if (parts.length >= 2 && parts[0] !== undefined && ID_PREFIXES.has(parts[0])) return parts[1];
  return undefined;
}

/**
 * The video id of any common YouTube URL (watch, youtu.be, shorts, embed, live, music, mobile), with or
 * without scheme, timestamps or playlist parameters. Anything else is a 400 with a specific code.
 */
export function parseYouTubeUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw invalid('YOUTUBE_URL_REQUIRED', 'Please provide a YouTube URL');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw invalid('YOUTUBE_URL_INVALID', 'Invalid YouTube URL format');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid('YOUTUBE_URL_INVALID', 'Invalid YouTube URL format');
  if (url.username !== '' || url.password !== '' || url.port !== '') {
    throw invalid('YOUTUBE_URL_UNSUPPORTED', 'Only YouTube URLs are supported');
  }
  const id = idFrom(url);
  if (id === undefined || !VIDEO_ID.test(id)) {
    throw invalid('YOUTUBE_VIDEO_ID_INVALID', 'Could not extract a valid YouTube video id');
  }
  return id;
}

export const canonicalUrl = (videoId: string): string => `https://www.youtube.com/watch?v=${videoId}`;
