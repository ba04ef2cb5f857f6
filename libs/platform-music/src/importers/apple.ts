import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { ExportFormatError } from '../errors.js';
import type { PlayRecord } from '../model.js';
import { instant, optionalCount, type Origin } from './fields.js';

const first = (row: Record<string, string>, names: string[]): string | undefined => {
  for (const name of names) {
    const value = row[name]?.trim();
    if (value) return value;
  }
  return undefined;
};

const TRACK = ['Song Name', 'Content Name'];
const ARTIST = ['Artist Name', 'Container Artist Name'];
const ALBUM = ['Album Name', 'Container Album Name'];
const START = ['Event Start Timestamp', 'Event Received Timestamp'];

function decodeRow(row: Record<string, string>, origin: Origin): PlayRecord | undefined {
  const eventType = row['Event Type'];
  // A play shows up as PLAY_START and PLAY_END rows; the END row carries the duration.
  if (eventType !== undefined && eventType !== 'PLAY_END') return undefined;
  const track = first(row, TRACK);
  const started = first(row, START);
  if (track === undefined || started === undefined) return undefined;
  const msPlayed = optionalCount(row, 'Play Duration Milliseconds', origin);
  const duration = optionalCount(row, 'Media Duration In Milliseconds', origin);
  const offsetSeconds = row['UTC Offset In Seconds'];
  const album = first(row, ALBUM);
  const play: PlayRecord = {
    service: 'apple_music',
    played_at_ms: instant(started, 'Event Start Timestamp', origin),
    track,
    artists: [first(row, ARTIST) ?? 'Unknown artist'],
    ...(album !== undefined && { album }),
    ...(msPlayed !== undefined && { ms_played: msPlayed }),
    ...(duration !== undefined && { duration_ms: duration }),
    ids: {},
  };
  if (offsetSeconds !== undefined && /^-?\d+$/.test(offsetSeconds.trim())) play.utc_offset_minutes = Number(offsetSeconds) / 60;
  return play;
}

/** Streams the rows of Apple's "Apple Music Play Activity.csv" (privacy export) as plays. */
export async function* appleCsvPlays(chunks: AsyncIterable<Uint8Array>, file?: string): AsyncGenerator<PlayRecord> {
  const parser = Readable.from(chunks).pipe(parse({ columns: true, bom: true, info: true, skip_empty_lines: true }));
  const base = file === undefined ? {} : { file };
  let checked = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const origin = { ...base, line: item.info.lines };
      if (!checked) {
        const columns = Object.keys(item.record);
        if (!TRACK.some((name) => columns.includes(name)) || !START.some((name) => columns.includes(name))) {
          throw new ExportFormatError(`not an Apple Music play activity file: needs "${TRACK[0] ?? ''}" and "${START[0] ?? ''}" columns`, {
            ...base,
            line: 1,
          });
        }
        checked = true;
      }
      const play = decodeRow(item.record, origin);
      if (play) yield play;
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new ExportFormatError(`invalid CSV: ${(error as Error).message}`, { ...base, ...(line !== undefined && { line }) });
  }
}
