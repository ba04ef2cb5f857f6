import { NotEnoughPlaysError } from '../errors.js';
import { listenedMs, type PlayRecord, type ServiceName } from '../model.js';
import type { RankedArtist, RankedTrack, WrappedReport } from './report.js';
import { dayLabel, ZoneClock } from './zone.js';
import { counted } from '../wording.js';

export const MIN_PLAY_MS = 30_000;
export const MIN_REPORT_PLAYS = 10;
const TOP = 10;

interface Tally {
  name: string;
  artist: string;
  plays: number;
  ms: number;
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;
const key = (...parts: string[]) => parts.join('\u0000');

function bump(map: Map<string, Tally>, id: string, name: string, artist: string, ms: number): void {
  const tally = map.get(id);
  if (tally) {
    tally.plays++;
    tally.ms += ms;
  } else map.set(id, { name, artist, plays: 1, ms });
}

/** Most plays first, then most time, then by name and artist: the same input always ranks the same. */
function byRank(a: Tally, b: Tally): number {
  return (
    b.plays - a.plays ||
    b.ms - a.ms ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.artist < b.artist ? -1 : a.artist > b.artist ? 1 : 0)
  );
}

function top(map: Map<string, Tally>, count: number): Tally[] {
  return [...map.values()].sort(byRank).slice(0, count);
}

const artistOf = (t: Tally): RankedArtist => ({ name: t.name, plays: t.plays, minutes: minutes(t.ms) });
const trackOf = (t: Tally): RankedTrack => ({ name: t.name, artist: t.artist, plays: t.plays, minutes: minutes(t.ms) });

interface Month {
  plays: number;
  ms: number;
  artists: Map<string, Tally>;
  tracks: Map<string, Tally>;
}

/**
 * Builds a year's report one play at a time, so memory grows with distinct tracks and artists, not
 * with plays. Plays from other years only feed "first heard" (new artists).
 */
export class WrappedAccumulator {
  readonly year: number;
  private readonly clock: ZoneClock;
  private readonly services = new Set<ServiceName>();
  private readonly artists = new Map<string, Tally>();
  private readonly tracks = new Map<string, Tally>();
  private readonly albums = new Map<string, Tally>();
  private readonly months = new Map<number, Month>();
  private readonly days = new Map<number, { plays: number; ms: number }>();
  private readonly firstHeard = new Map<string, number>();
  private readonly hours = new Array<number>(24).fill(0);
  private readonly weekdays = new Array<number>(7).fill(0);
  private plays = 0;
  private ms = 0;
  private withoutDuration = 0;
  private shortSkipped = 0;
  private approximate = 0;
  private earlierHistory = false;

  constructor(options: { year: number; timeZone: string }) {
    this.year = options.year;
    this.clock = new ZoneClock(options.timeZone);
  }

  get timeZone(): string {
    return this.clock.timeZone;
  }

  add(play: PlayRecord): void {
    const length = listenedMs(play);
    const local = this.clock.local(play.played_at_ms);
    if (length !== undefined && length < MIN_PLAY_MS) {
      if (local.year === this.year) this.shortSkipped++;
      return;
    }
    const artist = play.artists[0] ?? 'Unknown artist';
    const artistKey = key(artist);
    const heard = this.firstHeard.get(artistKey);
    if (heard === undefined || play.played_at_ms < heard) this.firstHeard.set(artistKey, play.played_at_ms);
    if (local.year !== this.year) {
      if (local.year < this.year) this.earlierHistory = true;
      return;
    }
    const ms = length ?? 0;
    if (length === undefined) this.withoutDuration++;
    this.plays++;
    this.ms += ms;
    this.services.add(play.service);
    const trackKey = key(play.track, artist);
    bump(this.artists, artistKey, artist, '', ms);
    bump(this.tracks, trackKey, play.track, artist, ms);
    if (play.album !== undefined) bump(this.albums, key(play.album, artist), play.album, artist, ms);

    let month = this.months.get(local.month);
    if (!month) {
      month = { plays: 0, ms: 0, artists: new Map(), tracks: new Map() };
      this.months.set(local.month, month);
    }
    month.plays++;
    month.ms += ms;
    bump(month.artists, artistKey, artist, '', ms);
    bump(month.tracks, trackKey, play.track, artist, ms);

    // An estimated time is good enough for the year and month, not for the hour, weekday or day.
    if (play.played_at_approximate) {
      this.approximate++;
      return;
    }
    const day = this.days.get(local.day);
    if (day) {
      day.plays++;
      day.ms += ms;
    } else this.days.set(local.day, { plays: 1, ms });
    this.hours[local.hour] = (this.hours[local.hour] ?? 0) + 1;
    this.weekdays[local.weekday] = (this.weekdays[local.weekday] ?? 0) + 1;
  }

  /** The report; throws NotEnoughPlaysError when the year has no plays or fewer than MIN_REPORT_PLAYS. */
  report(now = new Date()): WrappedReport {
    if (this.plays === 0) throw new NotEnoughPlaysError(`no plays in ${this.year}`);
    if (this.plays < MIN_REPORT_PLAYS) {
      throw new NotEnoughPlaysError(`only ${counted(this.plays, 'play')} in ${this.year}; a report needs at least ${MIN_REPORT_PLAYS}`);
    }
    const topArtists = top(this.artists, TOP);
    return {
      year: this.year,
      time_zone: this.clock.timeZone,
      generated_at: now.toISOString(),
      services: [...this.services].sort(),
      totals: {
        plays: this.plays,
        minutes: minutes(this.ms),
        plays_without_duration: this.withoutDuration,
        short_plays_skipped: this.shortSkipped,
        plays_with_approximate_time: this.approximate,
        distinct_tracks: this.tracks.size,
        distinct_artists: this.artists.size,
        distinct_albums: this.albums.size,
      },
      top_artists: topArtists.map(artistOf),
      top_tracks: top(this.tracks, TOP).map(trackOf),
      top_albums: top(this.albums, TOP).map(trackOf),
      months: [...this.months.entries()]
        .sort(([a], [b]) => a - b)
        .map(([number, month]) => {
          const [artist] = top(month.artists, 1);
          const [track] = top(month.tracks, 1);
          return {
            month: number,
            plays: month.plays,
            minutes: minutes(month.ms),
            top_artist: artist ? artistOf(artist) : null,
            top_track: track ? trackOf(track) : null,
          };
        }),
      by_hour: [...this.hours],
      by_weekday: [...this.weekdays],
      longest_streak: this.longestStreak(),
      busiest_day: this.busiestDay(),
      new_artists: this.newArtists(),
      top_artist_share: Math.round(((topArtists[0]?.plays ?? 0) / this.plays) * 10_000) / 10_000,
    };
  }

  private longestStreak(): WrappedReport['longest_streak'] {
    const days = [...this.days.keys()].sort((a, b) => a - b);
    let best = { length: 0, start: 0 };
    let run = { length: 0, start: 0 };
    let previous = Number.NaN;
    for (const day of days) {
      run = day === previous + 1 ? { length: run.length + 1, start: run.start } : { length: 1, start: day };
      if (run.length > best.length) best = run;
      previous = day;
    }
    if (best.length === 0) return null;
    return { days: best.length, start: dayLabel(best.start), end: dayLabel(best.start + best.length - 1) };
  }

  private busiestDay(): WrappedReport['busiest_day'] {
    let best: { day: number; plays: number; ms: number } | undefined;
    for (const [day, { plays, ms }] of this.days) {
      if (!best || plays > best.plays || (plays === best.plays && (ms > best.ms || (ms === best.ms && day < best.day)))) {
        best = { day, plays, ms };
      }
    }
    return best ? { date: dayLabel(best.day), plays: best.plays, minutes: minutes(best.ms) } : null;
  }

  private newArtists(): WrappedReport['new_artists'] {
    if (!this.earlierHistory) return null;
    const { fromMs } = this.clock.yearRange(this.year);
    const fresh = [...this.artists.entries()].filter(([id]) => (this.firstHeard.get(id) ?? 0) >= fromMs).map(([, tally]) => tally);
    return { count: fresh.length, top: fresh.sort(byRank).slice(0, 5).map(artistOf) };
  }
}

/** Runs plays through a fresh accumulator: the whole analysis in one call. */
export async function wrapped(
  plays: AsyncIterable<PlayRecord> | Iterable<PlayRecord>,
  options: { year: number; timeZone: string; now?: Date },
): Promise<WrappedReport> {
  const accumulator = new WrappedAccumulator(options);
  for await (const play of plays) accumulator.add(play);
  return accumulator.report(options.now);
}
