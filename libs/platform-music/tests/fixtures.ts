import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** One entry of Spotify's extended streaming history, as the export writes it. */
export function spotifyEntry(ts: string, track: string | null, artist: string | null, msPlayed: number, album = 'Album') {
  return {
    ts,
    platform: 'android',
    ms_played: msPlayed,
    conn_country: 'DE',
    ip_addr: '192.0.2.1',
    master_metadata_track_name: track,
    master_metadata_album_artist_name: artist,
    master_metadata_album_album_name: track === null ? null : album,
    spotify_track_uri: track === null ? null : `spotify:track:${Buffer.from(track).toString('hex').slice(0, 22)}`,
    episode_name: track === null ? 'Some podcast episode' : null,
    episode_show_name: track === null ? 'Some show' : null,
    spotify_episode_uri: track === null ? 'spotify:episode:abc' : null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: null,
    incognito_mode: false,
  };
}

export function takeoutEntry(time: string, title: string, channel: string | undefined, music = true) {
  return {
    header: music ? 'YouTube Music' : 'YouTube',
    title: `Watched ${title}`,
    titleUrl: `https://${music ? 'music.' : 'www.'}youtube.com/watch?v=${Buffer.from(title).toString('hex').slice(0, 11)}`,
    ...(channel !== undefined && { subtitles: [{ name: `${channel} - Topic`, url: 'https://www.youtube.com/channel/UC123' }] }),
    time,
    products: ['YouTube'],
    activityControls: ['YouTube watch history'],
  };
}

export const APPLE_HEADER =
  'Apple ID Number,Album Name,Container Artist Name,Song Name,Event Type,Event Start Timestamp,Event End Timestamp,Play Duration Milliseconds,Media Duration In Milliseconds,UTC Offset In Seconds,End Reason Type';

export function appleRow(start: string, song: string, artist: string, msPlayed: number, type = 'PLAY_END', offset = 3600): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [
    '123',
    quote('Album, Deluxe'),
    quote(artist),
    quote(song),
    type,
    start,
    start,
    String(msPlayed),
    '200000',
    String(offset),
    'NATURAL_END_OF_TRACK',
  ].join(',');
}

/** Pretty-prints like the real exports (two-space indent, one field per line). */
export const exportJson = (entries: unknown[]) => JSON.stringify(entries, null, 2);

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'music-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeZip(path: string, files: Record<string, string>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, 'close');
}

export async function writeText(path: string, text: string | Buffer): Promise<string> {
  await writeFile(path, text);
  return path;
}
