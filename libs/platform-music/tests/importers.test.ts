import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportFormatError, inspectExport, readExport, type PlayRecord } from '../src/index.js';
import { APPLE_HEADER, appleRow, exportJson, spotifyEntry, takeoutEntry, tempDir, writeText, writeZip } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function collect(path: string, name?: string): Promise<PlayRecord[]> {
  const plays: PlayRecord[] = [];
  for await (const play of readExport(path, name)) plays.push(play);
  return plays;
}

async function failure(path: string, name?: string): Promise<ExportFormatError> {
  try {
    await collect(path, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ExportFormatError);
    return error as ExportFormatError;
  }
  throw new Error('expected the import to fail');
}

describe('Spotify extended streaming history', () => {
  it('decodes tracks, starts plays at ts minus ms_played and skips podcasts', async () => {
    const path = await writeText(
      join(dir, 'Streaming_History_Audio_2023.json'),
      exportJson([
        spotifyEntry('2023-03-01T10:03:20Z', 'Song "A"', 'Artist Ünïcode', 200_000, 'Record'),
        spotifyEntry('2023-03-01T11:00:00Z', null, null, 900_000),
        spotifyEntry('2023-03-01T12:00:00Z', 'Song B', 'Artist 2', 5_000),
      ]),
    );
    const plays = await collect(path, 'Streaming_History_Audio_2023.json');
    expect(plays).toHaveLength(2);
    expect(plays[0]).toMatchObject({
      service: 'spotify',
      played_at_ms: Date.parse('2023-03-01T10:00:00Z'),
      track: 'Song "A"',
      artists: ['Artist Ünïcode'],
      album: 'Record',
      ms_played: 200_000,
    });
    expect(plays[0]?.ids.spotify).toMatch(/^spotify:track:/);
    expect(plays[1]?.ms_played).toBe(5_000);
  });

  it('reads every audio history file of a zip export and ignores video history', async () => {
    const path = join(dir, 'my_spotify_data.zip');
    await writeZip(path, {
      'Spotify Extended Streaming History/Streaming_History_Audio_2022-2023_1.json': exportJson([
        spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000),
      ]),
      'Spotify Extended Streaming History/Streaming_History_Audio_2023_2.json': exportJson([
        spotifyEntry('2023-06-01T00:05:00Z', 'Two', 'Y', 60_000),
      ]),
      'Spotify Extended Streaming History/Streaming_History_Video_2023.json': exportJson([
        spotifyEntry('2023-06-01T00:05:00Z', 'Video', 'Z', 60_000),
      ]),
      'Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf': 'pdf',
    });
    expect(await inspectExport(path)).toMatchObject({ format: 'spotify', zipped: true });
    expect((await collect(path)).map((play) => play.track)).toEqual(['One', 'Two']);
  });

  it('names the line and entry of malformed JSON', async () => {
    const good = exportJson([spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000)]);
    const path = await writeText(
      join(dir, 'broken.json'),
      `${good.slice(0, -2)},\n  {"ts": "2023-01-02T00:00:00Z", "ms_played": 12,, "x": 1}\n]`,
    );
    const error = await failure(path, 'broken.json');
    expect(error.message).toMatch(/^broken\.json, line 2[0-9], entry 2: invalid JSON/);
    expect(error.status).toBe(400);
    expect(error.details?.[0]).toMatchObject({ entry: 2, file: 'broken.json' });
  });

  it('rejects a truncated file, a bad timestamp and a non-object entry with their place', async () => {
    const truncated = exportJson([
      spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000),
      spotifyEntry('2023-01-01T00:09:00Z', 'Two', 'X', 60_000),
    ]);
    expect((await failure(await writeText(join(dir, 't.json'), truncated.slice(0, 700)), 't.json')).message).toMatch(
      /ends inside the array/,
    );
    const badDate = exportJson([spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000), spotifyEntry('yesterday', 'Two', 'X', 60_000)]);
    expect((await failure(await writeText(join(dir, 'd.json'), badDate), 'd.json')).message).toMatch(
      /line 2\d, entry 2: "ts" is not a date-time: "yesterday"/,
    );
    const badMs = exportJson([{ ...spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000), ms_played: 'lots' }]);
    expect((await failure(await writeText(join(dir, 'm.json'), badMs), 'm.json')).message).toMatch(
      /entry 1: "ms_played" must be a non-negative number/,
    );
    expect(
      (await failure(await writeText(join(dir, 'n.json'), '[{"ts":"2023-01-01T00:00:00Z","ms_played":1},\n 42]'), 'n.json')).message,
    ).toMatch(/line 2, entry 2: each entry must be a JSON object/);
  });
});

describe('YouTube Takeout watch history', () => {
  it('keeps YouTube Music plays only and cleans titles and channels', async () => {
    const path = await writeText(
      join(dir, 'watch-history.json'),
      exportJson([
        takeoutEntry('2023-05-05T20:00:00.123Z', 'Song One', 'Band'),
        takeoutEntry('2023-05-05T20:05:00Z', 'A cat video', 'Cats', false),
        takeoutEntry('2023-05-05T20:10:00Z', 'a video that has been removed', undefined),
      ]),
    );
    const plays = await collect(path, 'watch-history.json');
    expect(plays).toEqual([
      {
        service: 'youtube_music',
        played_at_ms: Date.parse('2023-05-05T20:00:00.123Z'),
        track: 'Song One',
        artists: ['Band'],
        ids: { youtube_music: Buffer.from('Song One').toString('hex').slice(0, 11) },
      },
    ]);
  });

  it('finds watch-history.json inside a Takeout zip', async () => {
    const path = join(dir, 'takeout.zip');
    await writeZip(path, {
      'Takeout/archive_browser.html': '<html></html>',
      'Takeout/YouTube and YouTube Music/history/search-history.json': '[]',
      'Takeout/YouTube and YouTube Music/history/watch-history.json': exportJson([takeoutEntry('2023-01-01T00:00:00Z', 'S', 'A')]),
    });
    expect(await collect(path)).toHaveLength(1);
  });
});

describe('Apple Music play activity CSV', () => {
  it('reads PLAY_END rows with quoted fields, durations and UTC offsets', async () => {
    const csv = [
      APPLE_HEADER,
      appleRow('2023-02-02T08:00:00.000Z', 'Song, with comma', 'Artist "Q"', 180_000, 'PLAY_START'),
      appleRow('2023-02-02T08:00:00.000Z', 'Song, with comma', 'Artist "Q"', 180_000),
      appleRow('2023-02-02T09:00:00.000Z', 'Other', 'B', 12_000, 'PLAY_END', -18000),
    ].join('\r\n');
    const plays = await collect(await writeText(join(dir, 'Apple Music Play Activity.csv'), `\uFEFF${csv}\r\n`), 'play.csv');
    expect(plays).toEqual([
      {
        service: 'apple_music',
        played_at_ms: Date.parse('2023-02-02T08:00:00Z'),
        utc_offset_minutes: 60,
        track: 'Song, with comma',
        artists: ['Artist "Q"'],
        album: 'Album, Deluxe',
        ms_played: 180_000,
        duration_ms: 200_000,
        ids: {},
      },
      expect.objectContaining({ track: 'Other', ms_played: 12_000, utc_offset_minutes: -300 }),
    ]);
  });

  it('reads the CSV from the privacy export zip', async () => {
    const path = join(dir, 'apple.zip');
    await writeZip(path, {
      'Apple Media Services information/Apple Music Activity/Apple Music Play Activity.csv': `${APPLE_HEADER}\n${appleRow('2023-02-02T08:00:00Z', 'S', 'A', 60_000)}\n`,
    });
    expect(await collect(path)).toHaveLength(1);
  });

  it('names the line of a broken row and of a bad value', async () => {
    const broken = `${APPLE_HEADER}\n${appleRow('2023-02-02T08:00:00Z', 'S', 'A', 60_000)}\n123,"unclosed,A,S,PLAY_END\n`;
    expect((await failure(await writeText(join(dir, 'b.csv'), broken), 'b.csv')).message).toMatch(/^b\.csv, line \d: invalid CSV/);
    const badMs = `${APPLE_HEADER}\n${appleRow('2023-02-02T08:00:00Z', 'S', 'A', 60_000)}\n${appleRow('2023-02-02T08:00:00Z', 'S', 'A', 60_000).replace(',60000,', ',abc,')}\n`;
    expect((await failure(await writeText(join(dir, 'c.csv'), badMs), 'c.csv')).message).toBe(
      'c.csv, line 3: "Play Duration Milliseconds" must be a non-negative number',
    );
  });
});

describe('unknown input', () => {
  it('rejects files that are no known export', async () => {
    expect((await failure(await writeText(join(dir, 'x.txt'), 'hello'), 'x.txt')).message).toMatch(/unrecognised export/);
    const zip = join(dir, 'other.zip');
    await writeZip(zip, { 'notes.txt': 'hi' });
    expect((await failure(zip, 'other.zip')).message).toMatch(/zip holds no Spotify/);
    const latin1 = Buffer.concat([
      Buffer.from('[{"ts":"2023-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"'),
      Buffer.from([0xe9]),
      Buffer.from('"}]'),
    ]);
    expect((await failure(await writeText(join(dir, 'l.json'), latin1), 'l.json')).message).toBe(
      'l.json, line 1: the file is not UTF-8 text',
    );
  });
});

describe('zip limits', () => {
  const emptyEntries = (count: number, name = (i: number) => `e${String(i)}`) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), '']));

  it('refuses a zip declaring more entries than allowed before reading its directory', async () => {
    const path = join(dir, 'many.zip');
    await writeZip(path, {
      ...emptyEntries(1200),
      'Streaming_History_Audio_2023.json': exportJson([spotifyEntry('2023-01-01T00:05:00Z', 'One', 'X', 60_000)]),
    });
    const limits = { maxEntries: 1000, maxDirectoryBytes: 1 << 20 };
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const error = await inspectExport(path, 'many.zip', limits).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(200);
    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as ExportFormatError).message).toBe(
      'the zip file has too many entries or too large a directory (1201 entries; at most 1000)',
    );
    // Nothing of the directory was held: no Entry objects for 1200 entries.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(2 * 1024 * 1024);
    await expect(collect(path)).resolves.toHaveLength(1);
  });

  it('refuses a directory larger than allowed while reading it, whatever the entry count says', async () => {
    const path = join(dir, 'long-names.zip');
    await writeZip(
      path,
      emptyEntries(50, (i) => `${'n'.repeat(1000)}${String(i)}`),
    );
    const error = await inspectExport(path, 'long-names.zip', { maxEntries: 100, maxDirectoryBytes: 20_000 }).catch(
      (caught: unknown) => caught,
    );
    expect((error as ExportFormatError).message).toMatch(/too large a directory \(a directory over 20000 bytes/);
    await expect(inspectExport(path, 'long-names.zip', { maxEntries: 100, maxDirectoryBytes: 100_000 })).rejects.toThrow(
      /zip holds no Spotify/,
    );
  });

  it('keeps only the entries an export is read from', async () => {
    const path = join(dir, 'mixed.zip');
    await writeZip(path, {
      ...emptyEntries(500),
      'Takeout/YouTube and YouTube Music/history/watch-history.json': exportJson([
        takeoutEntry('2023-02-01T00:00:00Z', 'Watched x', 'y - Topic'),
      ]),
    });
    expect(await inspectExport(path)).toEqual({
      format: 'youtube_music',
      zipped: true,
      files: ['Takeout/YouTube and YouTube Music/history/watch-history.json'],
    });
  });
});
