import { ExportFormatError } from '../errors.js';
import type { PlayRecord } from '../model.js';
import { instant, optionalCount, optionalString, requiredString, type Origin } from './fields.js';

/**
 * One entry of Spotify's "Extended streaming history" (`ts` is when playback ended, in UTC) or of the
 * shorter account-data `StreamingHistory*.json` (`endTime` in UTC minutes). Podcast episodes and
 * entries without a track name are skipped (undefined).
 */
export function decodeSpotifyEntry(entry: Record<string, unknown>, origin: Origin): PlayRecord | undefined {
  if ('ts' in entry) {
    const track = optionalString(entry, 'master_metadata_track_name', origin);
    const artist = optionalString(entry, 'master_metadata_album_artist_name', origin);
    if (track === undefined || artist === undefined) return undefined;
    const msPlayed = optionalCount(entry, 'ms_played', origin) ?? 0;
    const endedAt = instant(requiredString(entry, 'ts', origin), 'ts', origin);
    const uri = optionalString(entry, 'spotify_track_uri', origin);
    const album = optionalString(entry, 'master_metadata_album_album_name', origin);
    return {
      service: 'spotify',
      played_at_ms: endedAt - msPlayed,
      track,
      artists: [artist],
      ...(album !== undefined && { album }),
      ms_played: msPlayed,
      ids: uri === undefined ? {} : { spotify: uri },
    };
  }
  if ('endTime' in entry) {
    const track = optionalString(entry, 'trackName', origin);
    const artist = optionalString(entry, 'artistName', origin);
    if (track === undefined || artist === undefined) return undefined;
    const msPlayed = optionalCount(entry, 'msPlayed', origin) ?? 0;
    const endedAt = instant(requiredString(entry, 'endTime', origin), 'endTime', origin);
    return { service: 'spotify', played_at_ms: endedAt - msPlayed, track, artists: [artist], ms_played: msPlayed, ids: {} };
  }
  throw new ExportFormatError('entry has neither "ts" (extended history) nor "endTime" (account data)', origin);
}
