import { describe, expect, it } from 'vitest';
import {
  CrossSourceDeduper,
  NotEnoughPlaysError,
  renderHtml,
  wrapped,
  ZoneClock,
  type PlayRecord,
  type ServiceName,
} from '../src/index.js';

const NOW = new Date('2024-01-15T12:00:00Z');

function play(iso: string, track: string, artist: string, msPlayed?: number, extra: Partial<PlayRecord> = {}): PlayRecord {
  const album = { Alpha: 'First', Beta: 'Second' }[artist];
  return {
    service: msPlayed === undefined ? 'lastfm' : 'spotify',
    played_at_ms: Date.parse(iso),
    track,
    artists: [artist],
    ...(album !== undefined && { album }),
    ...(msPlayed !== undefined && { ms_played: msPlayed }),
    ids: {},
    ...extra,
  };
}

const golden: PlayRecord[] = [
  play('2023-01-02T09:00:00Z', 'Song1', 'Alpha', 200_000),
  play('2023-01-03T09:00:00Z', 'Song1', 'Alpha', 200_000),
  play('2023-01-04T09:00:00Z', 'Song2', 'Alpha', 100_000),
  play('2023-01-04T20:00:00Z', 'Song3', 'Beta', 240_000),
  play('2023-01-05T22:30:00Z', 'Song3', 'Beta', 240_000),
  play('2023-01-05T23:30:00Z', 'Song3', 'Beta', 240_000), // 00:30 on Jan 6 in Berlin
  play('2023-02-10T12:00:00Z', 'Song4', 'Gamma', 180_000),
  play('2023-02-10T13:00:00Z', 'Song4', 'Gamma', 180_000),
  play('2023-02-10T14:00:00Z', 'Song1', 'Alpha', 200_000),
  play('2023-07-01T10:00:00Z', 'Song5', 'Delta'), // no duration (Last.fm)
  play('2023-07-01T11:00:00Z', 'Song5', 'Delta'),
  play('2023-12-31T22:59:00Z', 'Song2', 'Alpha', 100_000), // 23:59 on New Year's Eve in Berlin
  play('2023-12-31T23:01:00Z', 'Song2', 'Alpha', 100_000), // already 2024 in Berlin
  play('2023-03-01T10:00:00Z', 'Skip', 'Alpha', 10_000), // under 30 s
  play('2022-12-31T22:30:00Z', 'Old', 'Beta', 200_000), // earlier history
];

describe('wrapped analytics', () => {
  it('computes the golden report for Europe/Berlin', async () => {
    expect(await wrapped(golden, { year: 2023, timeZone: 'Europe/Berlin', now: NOW })).toEqual({
      year: 2023,
      time_zone: 'Europe/Berlin',
      generated_at: '2024-01-15T12:00:00.000Z',
      services: ['lastfm', 'spotify'],
      totals: {
        plays: 12,
        minutes: 31.3,
        plays_without_duration: 2,
        short_plays_skipped: 1,
        plays_with_approximate_time: 0,
        distinct_tracks: 5,
        distinct_artists: 4,
        distinct_albums: 2,
      },
      top_artists: [
        { name: 'Alpha', plays: 5, minutes: 13.3 },
        { name: 'Beta', plays: 3, minutes: 12 },
        { name: 'Gamma', plays: 2, minutes: 6 },
        { name: 'Delta', plays: 2, minutes: 0 },
      ],
      top_tracks: [
        { name: 'Song3', artist: 'Beta', plays: 3, minutes: 12 },
        { name: 'Song1', artist: 'Alpha', plays: 3, minutes: 10 },
        { name: 'Song4', artist: 'Gamma', plays: 2, minutes: 6 },
        { name: 'Song2', artist: 'Alpha', plays: 2, minutes: 3.3 },
        { name: 'Song5', artist: 'Delta', plays: 2, minutes: 0 },
      ],
      top_albums: [
        { name: 'First', artist: 'Alpha', plays: 5, minutes: 13.3 },
        { name: 'Second', artist: 'Beta', plays: 3, minutes: 12 },
      ],
      months: [
        {
          month: 1,
          plays: 6,
          minutes: 20.3,
          top_artist: { name: 'Beta', plays: 3, minutes: 12 },
          top_track: { name: 'Song3', artist: 'Beta', plays: 3, minutes: 12 },
        },
        {
          month: 2,
          plays: 3,
          minutes: 9.3,
          top_artist: { name: 'Gamma', plays: 2, minutes: 6 },
          top_track: { name: 'Song4', artist: 'Gamma', plays: 2, minutes: 6 },
        },
        {
          month: 7,
          plays: 2,
          minutes: 0,
          top_artist: { name: 'Delta', plays: 2, minutes: 0 },
          top_track: { name: 'Song5', artist: 'Delta', plays: 2, minutes: 0 },
        },
        {
          month: 12,
          plays: 1,
          minutes: 1.7,
          top_artist: { name: 'Alpha', plays: 1, minutes: 1.7 },
          top_track: { name: 'Song2', artist: 'Alpha', plays: 1, minutes: 1.7 },
        },
      ],
      by_hour: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 2],
      by_weekday: [1, 1, 2, 1, 4, 2, 1],
      longest_streak: { days: 5, start: '2023-01-02', end: '2023-01-06' },
      busiest_day: { date: '2023-02-10', plays: 3, minutes: 9.3 },
      new_artists: {
        count: 3,
        top: [
          { name: 'Alpha', plays: 5, minutes: 13.3 },
          { name: 'Gamma', plays: 2, minutes: 6 },
          { name: 'Delta', plays: 2, minutes: 0 },
        ],
      },
      top_artist_share: 0.4167,
    });
  });

  it('ranks ties the same whatever the input order', async () => {
    const expected = await wrapped(golden, { year: 2023, timeZone: 'Europe/Berlin', now: NOW });
    const reversed = await wrapped([...golden].reverse(), { year: 2023, timeZone: 'Europe/Berlin', now: NOW });
    const ties = Array.from({ length: 12 }, (_, i) =>
      play(`2023-05-0${(i % 3) + 1}T10:00:00Z`, `T${i % 4}`, ['Zed', 'Abe', 'Mia'][i % 3] ?? '', 60_000),
    );
    const a = await wrapped(ties, { year: 2023, timeZone: 'UTC', now: NOW });
    const b = await wrapped([...ties].reverse(), { year: 2023, timeZone: 'UTC', now: NOW });
    expect(reversed).toEqual(expected);
    expect(b).toEqual(a);
    expect(a.top_artists.map((artist) => artist.name)).toEqual(['Abe', 'Mia', 'Zed']);
    expect(a.busiest_day?.date).toBe('2023-05-01');
  });

  it("assigns plays near midnight on New Year's Eve to the listener's local year", async () => {
    const edge = [
      ...Array.from({ length: 10 }, (_, i) => play(`2023-06-${String(i + 1).padStart(2, '0')}T12:00:00Z`, `S${i}`, 'Filler', 60_000)),
      play('2023-12-31T23:30:00Z', 'Late', 'Edge', 60_000),
      play('2024-01-01T04:30:00Z', 'Later', 'Edge', 60_000),
    ];
    const count = async (timeZone: string, year: number) =>
      (await wrapped(edge, { year, timeZone, now: NOW })).top_artists.find((artist) => artist.name === 'Edge')?.plays ?? 0;
    expect(await count('UTC', 2023)).toBe(1); // 23:30 Dec 31
    expect(await count('Asia/Tokyo', 2023)).toBe(0); // both are Jan 1 in Tokyo
    expect(await count('America/New_York', 2023)).toBe(2); // 18:30 and 23:30 on Dec 31
    expect(await count('America/Los_Angeles', 2023)).toBe(2);
    const ny = await wrapped(edge, { year: 2023, timeZone: 'America/New_York', now: NOW });
    expect(ny.by_hour[23]).toBe(1);
    expect(ny.months.at(-1)).toMatchObject({ month: 12, plays: 2 });
    expect(ny.by_weekday[6]).toBe(3); // both Dec 31 plays (a Sunday) and the filler of Sunday June 4
  });

  it('follows daylight saving and half-hour offsets', () => {
    const newYork = new ZoneClock('America/New_York');
    expect(newYork.local(Date.parse('2023-03-12T06:30:00Z')).hour).toBe(1); // EST
    expect(newYork.local(Date.parse('2023-03-12T07:30:00Z')).hour).toBe(3); // EDT: 2 am never happened
    expect(newYork.local(Date.parse('2023-11-05T05:30:00Z')).hour).toBe(1); // first 1 am (EDT)
    expect(newYork.local(Date.parse('2023-11-05T06:30:00Z')).hour).toBe(1); // second 1 am (EST)
    expect(new ZoneClock('Asia/Kolkata').local(Date.parse('2023-06-01T18:29:00Z')).hour).toBe(23);
    expect(new ZoneClock('Asia/Kolkata').local(Date.parse('2023-06-01T18:30:00Z'))).toMatchObject({ hour: 0, month: 6, weekday: 4 });
    expect(new ZoneClock('Australia/Lord_Howe').local(Date.parse('2023-12-31T13:00:00Z'))).toMatchObject({ year: 2024, hour: 0 }); // +11 in summer
    expect(new ZoneClock('Asia/Tokyo').yearRange(2024)).toEqual({
      fromMs: Date.parse('2023-12-31T15:00:00Z'),
      toMs: Date.parse('2024-12-31T15:00:00Z'),
    });
    expect(new ZoneClock('America/New_York').yearRange(2024).fromMs).toBe(Date.parse('2024-01-01T05:00:00Z'));
  });

  it('refuses a year without plays or with fewer than ten, and an unknown zone', async () => {
    await expect(wrapped(golden, { year: 2021, timeZone: 'UTC' })).rejects.toThrow(new NotEnoughPlaysError('no plays in 2021'));
    await expect(wrapped(golden.slice(0, 9), { year: 2023, timeZone: 'UTC' })).rejects.toThrow(
      'only 9 plays in 2023; a report needs at least 10',
    );
    await expect(wrapped(golden, { year: 2023, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('counts plays with an approximate time in totals, rankings and months, not in hours, weekdays or days', async () => {
    const precise = Array.from({ length: 10 }, (_, i) => play(`2023-06-0${(i % 5) + 1}T12:00:00Z`, 'Exact', 'Known', 200_000));
    const approximate = Array.from({ length: 5 }, (_, i) =>
      play(`2023-11-20T0${i}:00:00Z`, 'Guess', 'Recent', undefined, {
        service: 'apple_music',
        duration_ms: 180_000,
        played_at_approximate: true,
      }),
    );
    const report = await wrapped([...precise, ...approximate], { year: 2023, timeZone: 'UTC', now: NOW });
    expect(report.totals).toMatchObject({ plays: 15, minutes: 48.3, plays_with_approximate_time: 5, plays_without_duration: 0 });
    expect(report.top_artists.map((artist) => [artist.name, artist.plays])).toEqual([
      ['Known', 10],
      ['Recent', 5],
    ]);
    expect(report.months.map((month) => [month.month, month.plays])).toEqual([
      [6, 10],
      [11, 5],
    ]);
    expect(report.by_hour.reduce((a, b) => a + b)).toBe(10);
    expect(report.by_hour[12]).toBe(10);
    expect(report.by_weekday.reduce((a, b) => a + b)).toBe(10);
    expect(report.longest_streak).toEqual({ days: 5, start: '2023-06-01', end: '2023-06-05' });
    expect(report.busiest_day).toMatchObject({ plays: 2 });
    expect(renderHtml(report)).toContain('leave out 5 plays with only an approximate time');
  });

  it('has no new artists without earlier history', async () => {
    const report = await wrapped(golden.slice(0, 12), { year: 2023, timeZone: 'Europe/Berlin', now: NOW });
    expect(report.new_artists).toBeNull();
  });
});

describe('CrossSourceDeduper', () => {
  const at = (service: ServiceName, iso: string, track = 'Song') => play(iso, track, 'Artist', 200_000, { service });

  it('drops a play another service logged within three minutes, case-insensitively', () => {
    const deduper = new CrossSourceDeduper();
    expect(deduper.accept(at('spotify', '2023-01-01T10:00:00Z'))).toBe(true);
    expect(deduper.accept({ ...at('lastfm', '2023-01-01T10:02:00Z'), track: 'SONG' })).toBe(false);
    expect(deduper.accept(at('lastfm', '2023-01-01T10:10:00Z'))).toBe(true); // a later replay
    expect(deduper.accept(at('spotify', '2023-01-01T10:00:30Z'))).toBe(true); // same service: a real repeat
    expect(deduper.accept(at('lastfm', '2023-01-01T10:00:00Z', 'Other'))).toBe(true);
  });

  it('matches one copy per service, and an approximate time within a day', () => {
    const deduper = new CrossSourceDeduper();
    expect(deduper.accept(at('spotify', '2023-01-01T10:00:00Z'))).toBe(true);
    expect(deduper.accept(at('lastfm', '2023-01-01T10:01:00Z'))).toBe(false);
    expect(deduper.accept(at('lastfm', '2023-01-01T10:02:00Z'))).toBe(true); // a second play: the first copy is taken
    const recent = (iso: string) => ({ ...at('apple_music', iso), played_at_approximate: true });
    expect(deduper.accept(recent('2023-01-01T18:00:00Z'))).toBe(false); // scrobbled to Last.fm too, hours off
    expect(deduper.accept(recent('2023-01-01T18:05:00Z'))).toBe(false);
    expect(deduper.accept(recent('2023-01-01T18:10:00Z'))).toBe(true); // more plays than the others logged
    expect(deduper.accept(recent('2023-01-03T18:00:00Z'))).toBe(true);
  });
});
