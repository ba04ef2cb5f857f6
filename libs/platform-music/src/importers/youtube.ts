import type { PlayRecord } from '../model.js';
import { instant, optionalString, requiredString, type Origin } from './fields.js';

const MUSIC_HOST = 'music.youtube.com';

function videoId(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url).searchParams.get('v') ?? undefined;
}

/**
 * One entry of Google Takeout's `watch-history.json`. Only YouTube Music plays are kept; entries for
 * removed videos (no channel) are skipped. Takeout writes no duration, so minutes are unknown.
 */
export function decodeTakeoutEntry(entry: Record<string, unknown>, origin: Origin): PlayRecord | undefined {
  const url = optionalString(entry, 'titleUrl', origin);
  const products = Array.isArray(entry.products) ? (entry.products as unknown[]) : [];
  const isMusic = entry.header === 'YouTube Music' || products.includes('YouTube Music') || (url?.includes(MUSIC_HOST) ?? false);
  if (!isMusic) return undefined;
  const title = requiredString(entry, 'title', origin).replace(/^Watched /, '');
  const subtitles = Array.isArray(entry.subtitles) ? (entry.subtitles as unknown[]) : [];
  const channel = subtitles[0];
  const artist =
    typeof channel === 'object' && channel !== null ? optionalString(channel as Record<string, unknown>, 'name', origin) : undefined;
  if (artist === undefined) return undefined;
  const id = videoId(url);
  return {
    service: 'youtube_music',
    played_at_ms: instant(requiredString(entry, 'time', origin), 'time', origin),
    track: title,
    artists: [artist.replace(/ - Topic$/, '')],
    ids: id === undefined ? {} : { youtube_music: id },
  };
}
